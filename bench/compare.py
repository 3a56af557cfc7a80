"""A/B benchmark: a git revision against the working tree, interleaved, on a busy machine.

    python bench/compare.py --base REV [--n 200] [--rounds 10] [--seed 1] [--stage rules]

Absolute timings on a shared machine swing by a factor of two from one minute to the next.
This runs the two versions side by side in two long-lived processes that take turns (A, B,
A, B …) rendering the same generated figures files (load, validate, render, write — the work
of one batch document), and reports for each the median and best time per document, in CPU
and wall time, and the ratio. It also times cold ``narrator render`` of the example, alternating
the two versions. ``--stage rules`` times the rules stage alone instead (the engine over records
built beforehand, every rule, the checks), ``--stage templates`` the templates alone (render_engine:
Jinja and tidy, on engines evaluated beforehand). Before timing, both versions examine (as ``narrator
check`` does) the generated files, as many departments that fail ``check`` and every example, and
their texts, findings and check outcomes must be byte-identical. Only library API both versions
have is used.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import figuresgen  # noqa: E402

WORKER = r"""
import json, sys, time
from pathlib import Path
from layout import pick  # noqa: E402
[load_figures] = pick("intake.figures", "load_figures")
[render_figures] = pick("text.render", "render_figures")
paths = sorted(Path(sys.argv[1]).rglob("*.yaml"))
out, stage, others = Path(sys.argv[2]), sys.argv[3], [Path(p) for p in sys.argv[4:]]
def same_everywhere():
    # What `narrator check` and `batch` show for every file: text, findings, every check outcome.
    from narrator.errors import NarratorError
    [examine] = pick("checks.gate", "examine")
    for n, path in enumerate(paths + others):
        try:
            gate = examine(load_figures(path))
            shown = {"text": gate.rendered.text if gate.rendered else None,
                     "findings": [str(f) for f in gate.findings], "report": gate.report.to_dict()}
        except NarratorError as error:
            shown = {"error": [str(f) for f in error.findings]}
        (out / f"gate-{n}.json").write_text(json.dumps(shown, ensure_ascii=False, indent=1), encoding="utf-8")
def render_once():
    for n, path in enumerate(paths):
        text = render_figures(load_figures(path)).text
        (out / f"{n}.md").write_text(text, encoding="utf-8")
def rules_stage():
    # The rules stage alone: build the engine on fresh records, evaluate every rule, run the checks.
    [run_checks] = pick("checks.check", "run_checks")
    [Engine] = pick("compute.engine", "Engine")
    from narrator.errors import RuleError
    [for_format] = pick("intake.figures", "for_format")
    [choose_format, load_format] = pick("text.formats", "choose_format", "load_format")
    [build_roots] = pick("intake.records", "build_roots")
    [load_rule_sets] = pick("compute.rules", "load_rule_sets")
    prepared = []
    for path in paths:
        loaded = load_figures(path)
        fmt = load_format(choose_format(None, loaded.raw, loaded.path))
        loaded = for_format(loaded, fmt.name)
        prepared.append((loaded, fmt, load_rule_sets(fmt.rules, fmt.rule_settings)))
    def once():
        roots = [build_roots(loaded) for loaded, _, _ in prepared]
        cpu, wall = time.process_time(), time.perf_counter()
        for (loaded, fmt, ruleset), built in zip(prepared, roots):
            engine = Engine(ruleset, built, loaded.model.year, naming=loaded.naming)
            try:
                engine.evaluate_all()
            except RuleError:
                pass
            run_checks(engine, loaded, fmt.rules)
        return time.process_time() - cpu, time.perf_counter() - wall
    return once
def templates_stage():
    # The templates stage alone: rules evaluated beforehand, then render_engine (Jinja + tidy) timed.
    [for_format] = pick("intake.figures", "for_format")
    [choose_format, load_format] = pick("text.formats", "choose_format", "load_format")
    [evaluate, render_engine] = pick("text.render", "evaluate", "render_engine")
    prepared = []
    for path in paths:
        loaded = load_figures(path)
        fmt = load_format(choose_format(None, loaded.raw, loaded.path))
        loaded = for_format(loaded, fmt.name)
        prepared.append((evaluate(loaded, fmt), loaded, fmt))
    def once():
        cpu, wall = time.process_time(), time.perf_counter()
        for engine, loaded, fmt in prepared:
            render_engine(engine, loaded, fmt)
        return time.process_time() - cpu, time.perf_counter() - wall
    return once
same_everywhere()
render_once()  # warm: rules, templates, classification loaded once per process
timed = rules_stage() if stage == "rules" else templates_stage() if stage == "templates" else None
for line in sys.stdin:
    if timed is not None:
        cpu, wall = timed()
    else:
        cpu, wall = time.process_time(), time.perf_counter()
        render_once()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{cpu / len(paths)} {wall / len(paths)}", flush=True)
"""

def _env(src: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # the worker finds bench/layout.py, and the base revision's narrator or this working tree's (not
    # whichever checkout is installed) before the installed one
    env["PYTHONPATH"] = os.pathsep.join([str(src if src is not None else ROOT / "src"), str(HERE)])
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="git revision to compare with the working tree")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=9, help="cold renders of each version")
    parser.add_argument("--stage", choices=("render", "rules", "templates"), default="render",
                        help="time the whole render (load, validate, render, write) or the rules stage alone "
                             "(engine on built records, every rule, the checks) or the templates stage alone (Jinja and tidy "
                             "on engines evaluated beforehand)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="narrator-ab-") as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        region = Path(tmp) / "region"
        figuresgen.write_region(region, args.n, args.seed)
        failing = Path(tmp) / "failing"  # outputs compared, not timed: departments that fail check
        others = figuresgen.write_region(failing, args.n, args.seed, consistent=False)
        others += sorted((ROOT / "examples").glob("*.yaml"))
        versions = {"base": base / "src", "work": ROOT / "src"}
        workers = {}
        for name, src in versions.items():
            out = Path(tmp) / f"out-{name}"
            out.mkdir()
            workers[name] = subprocess.Popen([sys.executable, "-c", WORKER, str(region), str(out), args.stage,
                                              *map(str, others)], env=_env(src),
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
        for _ in range(args.rounds):
            for name, worker in workers.items():
                worker.stdin.write("go\n")
                worker.stdin.flush()
                cpu, wall = map(float, worker.stdout.readline().split())
                times[name].append((cpu, wall))
        for worker in workers.values():
            worker.stdin.close()
            worker.wait()
        outputs = sorted(p.name for p in (Path(tmp) / "out-base").iterdir())
        differ = [name for name in outputs
                  if (Path(tmp) / "out-base" / name).read_bytes() != (Path(tmp) / "out-work" / name).read_bytes()]
        same = not differ and outputs == sorted(p.name for p in (Path(tmp) / "out-work").iterdir())
        cold: dict[str, list[float]] = {name: [] for name in versions}
        command = [sys.executable, "-m", "narrator", "render", str(ROOT / "examples" / "atushi-2025.yaml")]
        for name, src in versions.items():  # one untimed run each: bytecode caches written
            subprocess.run(command, env=_env(src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        for _ in range(args.runs):
            for name, src in versions.items():
                started = time.perf_counter()
                subprocess.run(command, env=_env(src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                cold[name].append(time.perf_counter() - started)
    print(f"{args.n} generated documents x {args.rounds} rounds ({args.stage}), versions alternating; "
          f"outputs identical: {same} ({len(outputs)} files: texts, and what check finds for "
          f"{args.n} consistent, {args.n} inconsistent departments and every example)")
    if differ:
        print("differ:", " ".join(differ[:20]))
    for name in versions:
        cpu = [c for c, _ in times[name]]
        wall = [w for _, w in times[name]]
        print(f"{name:5s} ms/document: cpu median {statistics.median(cpu) * 1000:6.2f} best {min(cpu) * 1000:6.2f}"
              f" | wall median {statistics.median(wall) * 1000:6.2f} best {min(wall) * 1000:6.2f}"
              f" | cold render median {statistics.median(cold[name]):.3f} s best {min(cold[name]):.3f} s")
    ratio = statistics.median(c for c, _ in times["base"]) / statistics.median(c for c, _ in times["work"])
    print(f"work is {ratio:.2f}x base (median CPU per document)")


if __name__ == "__main__":
    main()
