"""The hostile-input suite (issue 13): every case of tests/hostile/cases.yaml, run for real.

Each case is a clean folder (files written inline, or made by tests/hostile/makers.py, then
optional setup commands) and one ``python -m narrator …`` subprocess in it. Per case: the exit
code the case expects (2 unless it says otherwise); no traceback; on exit 2 a located Chinese
``path:line:col: 错误 规则 消息`` line; every file, link and pipe that was there is unchanged;
on failure nothing new anywhere in the folder (on success only the outputs the case names);
CPU time under 5 s, wall time under a generous bound, peak memory under 500 MB.

The subprocesses run concurrently in a module-scoped fixture; the parametrized tests assert.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import resource

import pytest
import yaml
from typer.testing import CliRunner

from narrator.cli import app

from .hostile.makers import EXAMPLE, MAKERS, ROOT

CASES_FILE = Path(__file__).parent / "hostile" / "cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))

MAX_CPU_SECONDS = 5.0       # the bound, measured as the child's user + system time
MAX_WALL_SECONDS = 30.0     # generous: the children share the machine with each other
MAX_RSS_KB = 500 * 1024     # ru_maxrss is in KB on Linux
KILL_AFTER = 60.0           # a hang is killed (and fails its case) rather than stalling the suite
ADDRESS_SPACE = 4 << 30     # a runaway child fails its case instead of exhausting the machine

#: ``path:line:col: 错误 规则 消息`` with a message that has Chinese in it.
FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): 错误 (?P<rule>[a-z0-9-]+) (?P<message>.*)$")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
#: English a user must never see (Python's, pydantic's, the system's own messages).
ENGLISH = re.compile(r"Traceback|Error:|Exception|Input should|Permission denied|No such file|"
                     r"Errno|object at 0x")


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    cpu: float
    wall: float
    rss_kb: int
    before: dict[str, Any]
    after: dict[str, Any]
    folder: Path
    notes: list[str] = field(default_factory=list)


def snapshot(folder: Path) -> dict[str, Any]:
    """Every entry under ``folder``, not following links: what it is, and a file's checksum."""
    found: dict[str, Any] = {}
    for base, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(base) / name
            key = path.relative_to(folder).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                found[key] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                found[key] = ("folder", stat.S_IMODE(mode))
            elif stat.S_ISFIFO(mode):
                found[key] = ("pipe",)
            else:
                digest = hashlib.sha256()
                with path.open("rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(block)
                found[key] = ("file", digest.hexdigest())
    return found


def _write_file(path: Path, spec: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if spec == "example":
        shutil.copy(EXAMPLE, path)
    elif "example" in spec:  # the example with exact replacements, each found exactly once
        text = EXAMPLE.read_text(encoding="utf-8")
        for old, new in spec["example"].items():
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the example"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    elif "text" in spec:
        path.write_text(spec["text"], encoding="utf-8")
    elif "fixture" in spec:
        shutil.copy(ROOT / spec["fixture"], path)
    elif "make" in spec:
        arguments = {k: v for k, v in spec.items() if k != "make"}
        MAKERS[spec["make"]](path, **arguments)
    else:
        raise AssertionError(f"unknown file spec {spec!r}")


def prepare(case: dict[str, Any], folder: Path) -> None:
    """The case's files, then its setup commands (in-process, in its folder), then later files."""
    folder.mkdir()
    for name, spec in (case.get("files") or {}).items():
        _write_file(folder / name, spec)
    if case.get("setup"):
        here = Path.cwd()
        os.chdir(folder)
        try:
            for command in case["setup"]:
                result = CliRunner().invoke(app, command)
                assert result.exit_code in (0, 1), (case["id"], command, result.output)
        finally:
            os.chdir(here)
    for name, spec in (case.get("then") or {}).items():
        _write_file(folder / name, spec)


def _drop_root_override() -> list[str]:
    """A prefix that runs a command as root without its power to ignore file permissions."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None  # type: ignore[return-value]
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", "--"]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def execute(case: dict[str, Any], folder: Path, logs: Path) -> Outcome:
    """Run the case's command as a real subprocess; measure its CPU time, wall time and memory."""
    before = snapshot(folder)
    prefix: list[str] = []
    if case.get("read_only"):
        prefix = _drop_root_override()
        if prefix is None:
            return Outcome(-1, "", "", 0, 0, 0, before, before, folder, ["skip: no setpriv to drop root's override"])
    env = dict(os.environ)
    env.pop("NARRATOR_TEMPLATES", None)
    for name, value in (case.get("env") or {}).items():
        env[name] = str(value).replace("{here}", str(folder))
    out_path, err_path = logs / f"{case['id']}.out", logs / f"{case['id']}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen([*prefix, sys.executable, "-m", "narrator", *map(str, case["args"])],
                                 cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 preexec_fn=_limit_memory)
        killer = threading.Timer(KILL_AFTER, child.kill)
        killer.start()
        _, status, usage = os.wait4(child.pid, 0)
        killer.cancel()
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    return Outcome(child.returncode, out_path.read_text(encoding="utf-8", errors="replace"),
                   err_path.read_text(encoding="utf-8", errors="replace"),
                   usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss, before, snapshot(folder), folder)


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every selected case prepared (in order, in this process) and run (concurrently, as subprocesses)."""
    selected = {item.callspec.params["case"]["id"] for item in request.session.items
                if getattr(item, "function", None) is test_hostile_case}
    cases = [case for case in CASES if case["id"] in selected]
    base = tmp_path_factory.mktemp("hostile")
    logs = tmp_path_factory.mktemp("hostile-logs")
    folders = {}
    for case in cases:
        folders[case["id"]] = base / case["id"]
        prepare(case, folders[case["id"]])
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {case["id"]: pool.submit(execute, case, folders[case["id"]], logs) for case in cases}
        results = {name: future.result() for name, future in futures.items()}
    wall = time.perf_counter() - start
    heaviest = max(results.items(), key=lambda item: item[1].rss_kb)
    slowest = max(results.items(), key=lambda item: item[1].cpu)
    sys.stderr.write(f"\nhostile suite: {len(results)} cases in {wall:.1f} s; max RSS {heaviest[1].rss_kb // 1024} MB "
                     f"({heaviest[0]}); max CPU {slowest[1].cpu:.2f} s ({slowest[0]})\n")
    return results


def test_the_suite_covers_every_command() -> None:
    import typer.main

    from narrator.cli import app

    group = typer.main.get_command(app)
    every = {f"{name} {sub}" if hasattr(command, "commands") else name
             for name, command in group.commands.items()
             for sub in (getattr(command, "commands", None) or [""])}
    covered = {" ".join(case["args"][:2]) if " ".join(case["args"][:2]) in every else case["args"][0]
               for case in CASES}
    assert covered == every
    assert len(CASES) >= 60
    assert len({case["id"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_hostile_case(case: dict[str, Any], outcomes: dict[str, Outcome]) -> None:
    got = outcomes[case["id"]]
    if got.notes and got.notes[0].startswith("skip:"):
        pytest.skip(got.notes[0])
    shown = f"exit {got.code}\n--- stdout\n{got.stdout[-3000:]}\n--- stderr\n{got.stderr[-3000:]}"
    expected = case.get("exit", 2)
    assert got.code in (expected if isinstance(expected, list) else [expected]), shown
    for stream in (got.stdout, got.stderr):
        assert not ENGLISH.search(stream), shown
        assert "\x1b" not in stream, shown  # a terminal escape is printed as text, never sent
    errors = [line for line in got.stderr.splitlines() + got.stdout.splitlines() if ": 错误 " in line]
    for line in errors:
        match = FINDING.match(line)
        assert match and CHINESE.search(match["message"]), f"not a located Chinese finding: {line!r}"
    if got.code == 2:
        assert errors, shown
    if "rule" in case:  # one rule, or a list of the rules any of which may be the one
        assert set(_as_list(case["rule"])) & {FINDING.match(line)["rule"] for line in errors}, shown
    if "where" in case:
        assert any(line.startswith(f"{case['where']}:") for line in errors), shown
    for text in _as_list(case.get("stdout_has")):
        assert text in got.stdout, shown
    for text in _as_list(case.get("stderr_has")):
        assert text in got.stderr, shown
    # inputs untouched; on failure nothing new, on success only the outputs the case names
    allowed = set(case.get("changed") or []) if got.code in (0, 1) else set()
    changed = {key for key in got.before.keys() | got.after.keys() if got.before.get(key) != got.after.get(key)}
    assert changed <= allowed, (sorted(changed - allowed), shown)
    for name in case.get("links") or []:
        assert (got.folder / name).is_symlink(), name
    for name, texts in (case.get("file_has") or {}).items():
        for text in _as_list(texts):
            assert text in (got.folder / name).read_text(encoding="utf-8-sig"), (name, text)
    for name, texts in (case.get("file_lacks") or {}).items():
        for text in _as_list(texts):
            assert text not in (got.folder / name).read_text(encoding="utf-8-sig"), (name, text)
    assert got.cpu < MAX_CPU_SECONDS, f"{got.cpu:.2f} s of CPU"
    assert got.wall < MAX_WALL_SECONDS, f"{got.wall:.2f} s"
    assert got.rss_kb < MAX_RSS_KB, f"{got.rss_kb // 1024} MB"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
