"""Benchmark: cold ``narrator render``, ``check`` and ``lint`` against the bare imports they stand on.

    python bench/cold.py [--runs 15]

Times, each in a fresh process and interleaved (one round runs every command once, so a busy
machine slows them all alike):

- ``python -c "import jinja2, yaml, babel, typer"`` — the baseline (issue 14: a cold command
  should take at most 1.5× this);
- ``narrator render examples/atushi-2025.yaml -o OUT.md``;
- ``narrator check examples/atushi-2025.yaml``;
- ``narrator lint OUT.md --figures examples/atushi-2025.yaml``.

Each ``narrator`` is the function this tree's ``pyproject.toml`` names as the console script
(``python -c "from narrator.console import entry; entry()"``), run as the script pip writes runs
it, so the timing does not depend on what the environment's installed script names. With
``--base REV`` the same three commands of that git revision run in the same rounds (the function
its own ``pyproject.toml`` names, with the revision's ``src`` first on the path), so a change is
measured against what it replaces on the same busy machine.

One untimed warm-up of each comes first: it lets Python write its bytecode cache, as it is after
any normal installation (this environment sets PYTHONDONTWRITEBYTECODE, which would otherwise make
every run recompile narrator's modules). Prints the median wall and CPU time of each and its ratio
to the baseline; on a machine shared with other work the CPU times are the steadier measure.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"


def console_script(root: Path) -> list[str]:
    """A command running what the ``narrator`` console script of the tree at ``root`` runs (the
    function its pyproject.toml names), as the script pip writes runs it — not the script installed
    in this environment, which may name another tree's function."""
    import tomllib

    target = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["narrator"]
    module, function = target.split(":")
    return [sys.executable, "-c", f"import sys; from {module} import {function}; sys.argv[0] = 'narrator'; "
                                  f"sys.exit({function}())"]


def commands(rendered: Path, prefix: str = "", narrator: list[str] | None = None) -> dict[str, list[str]]:
    """The timed commands of one version by name (``prefix`` + render, check, lint)."""
    narrator = narrator or console_script(ROOT)
    return {
        prefix + "render": narrator + ["render", str(EXAMPLE), "-o", str(rendered), "--no-sidecar"],
        prefix + "check": narrator + ["check", str(EXAMPLE)],
        prefix + "lint": narrator + ["lint", str(rendered), "--figures", str(EXAMPLE)],
    }


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) time of one run; exit codes 0 and 1 (findings) are normal."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited with {done.returncode}:\n{done.stderr.decode()}")
    return seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command")
    parser.add_argument("--base", help="git revision whose commands run alongside (rows base-render …)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="narrator-cold-") as tmp:
        rendered = Path(tmp) / "out.md"
        timed = {"imports": [sys.executable, "-c", "import jinja2, yaml, babel, typer"], **commands(rendered)}
        envs = {name: env for name in timed}
        if args.base:
            base = Path(tmp) / "base"
            base.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
            for name, command in commands(Path(tmp) / "base.md", "base-", console_script(base)).items():
                timed[name], envs[name] = command, {**env, "PYTHONPATH": str(base / "src")}
        for name, command in timed.items():  # warm-up: bytecode caches, and the rendered texts lint reads
            run_once(command, envs[name])
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in timed}
        for _ in range(args.runs):
            for name, command in timed.items():
                times[name].append(run_once(command, envs[name]))
    wall_base = statistics.median(wall for wall, _ in times["imports"])
    cpu_base = statistics.median(cpu for _, cpu in times["imports"])
    print(f"cold commands, median of {args.runs} interleaved fresh-process runs each (wall; CPU = user + system):")
    for name, values in times.items():
        wall, cpu = statistics.median(w for w, _ in values), statistics.median(c for _, c in values)
        print(f"  {name:>11}: wall {wall:.3f} s (min {min(w for w, _ in values):.3f}) {wall / wall_base:.2f}×"
              f" | CPU {cpu:.3f} s (min {min(c for _, c in values):.3f}) {cpu / cpu_base:.2f}× the imports")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
