"""Where a render+check of one document goes: CPU µs per document for each stage, in one process.

    python bench/stages.py [--n 300] [--rounds 5] [--seed 1] [--base REV]

Stages, as ``narrator batch`` runs them for a generated consistent department: YAML parse
(``load_yaml``), validation (``validate_figures``: schema and classification), records + rules
(``build_roots``, the engine, ``evaluate_all``), checks (``run_checks``), render + tidy
(``render_engine``) and writing (``convert`` and an atomic write). Each round runs every stage of
every document; the median round is reported. ``--base REV`` runs a git revision the same way in
the same rounds, alternating, in a process of its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import figuresgen  # noqa: E402

STAGES = ("parse", "validate", "rules", "checks", "render", "write")

WORKER = r"""
import sys, time
from pathlib import Path
from layout import pick  # noqa: E402
[run_checks] = pick("checks.check", "run_checks")
[Engine] = pick("compute.engine", "Engine")
[validate_figures] = pick("intake.figures", "validate_figures")
[load_format] = pick("text.formats", "load_format")
[convert, write_all] = pick("document.output", "convert", "write_all")
[build_roots] = pick("intake.records", "build_roots")
[render_engine] = pick("text.render", "render_engine")
[load_rule_sets] = pick("compute.rules", "load_rule_sets")
[load_yaml] = pick("loading.yamlload", "load_yaml")
[warm] = pick("workflow.batch", "warm")
paths = sorted(Path(sys.argv[1]).rglob("*.yaml"))
out = Path(sys.argv[2])
try:  # a batch looks for the formats once (narrator.text.formats.pinned), where the version has it
    [pinned] = pick("text.formats", "pinned")
except ImportError:
    from contextlib import nullcontext as pinned
warm("xinjiang-2025")
_pin = pinned()  # kept: a context manager dropped would unpin
_pin.__enter__()
fmt = load_format("xinjiang-2025")
clock = time.process_time
for line in sys.stdin:
    spent = [0.0] * 6
    for n, path in enumerate(paths):
        t0 = clock()
        raw = load_yaml(path, str(path))
        t1 = clock()
        loaded = validate_figures(raw, str(path), "xinjiang-2025")
        t2 = clock()
        ruleset = load_rule_sets(fmt.rules, fmt.rule_settings)
        engine = Engine(ruleset, build_roots(loaded), loaded.model.year, naming=loaded.naming)
        engine.evaluate_all()
        t3 = clock()
        run_checks(engine, loaded, fmt.rules)
        t4 = clock()
        text, wanted = render_engine(engine, loaded, fmt)
        t5 = clock()
        write_all([(out / f"{n}.md", convert(text, ".md", fmt.name))])
        t6 = clock()
        for i, (a, b) in enumerate(((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6))):
            spent[i] += b - a
    print(" ".join(str(s / len(paths)) for s in spent), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--base", help="git revision to run alongside the working tree")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="narrator-stages-") as tmp:
        # the working tree is this checkout's own src (not whichever narrator is installed)
        versions: dict[str, Path | None] = {"work": ROOT / "src"}
        if args.base:
            base = Path(tmp) / "base"
            base.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
            versions = {"base": base / "src", "work": ROOT / "src"}
        region = Path(tmp) / "region"
        figuresgen.write_region(region, args.n, args.seed)
        workers = {}
        for name, src in versions.items():
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            # the worker finds bench/layout.py, and the base revision's narrator or this working tree's
            # (not whichever checkout is installed) before the installed one
            env["PYTHONPATH"] = os.pathsep.join([str(src if src is not None else ROOT / "src"), str(HERE)])
            out = Path(tmp) / f"out-{name}"
            out.mkdir()
            workers[name] = subprocess.Popen([sys.executable, "-c", WORKER, str(region), str(out)], env=env,
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        rounds: dict[str, list[list[float]]] = {name: [] for name in versions}
        for _ in range(args.rounds):
            for name, worker in workers.items():
                worker.stdin.write("go\n")
                worker.stdin.flush()
                rounds[name].append([float(x) for x in worker.stdout.readline().split()])
        for worker in workers.values():
            worker.stdin.close()
            worker.wait()
    print(f"{args.n} generated consistent documents x {args.rounds} rounds; CPU µs per document, median "
          f"and best round (load average {os.getloadavg()[0]:.1f})")
    print(f"{'stage':10s}" + "".join(f"{name + ' median':>14s}{'best':>8s}" for name in versions))
    for i, stage in enumerate(STAGES + ("total",)):
        cells = []
        for name in versions:
            values = [sum(r) if stage == "total" else r[i] for r in rounds[name]]
            cells.append(f"{statistics.median(values) * 1e6:14.0f}{min(values) * 1e6:8.0f}")
        print(f"{stage:10s}" + "".join(cells))
    for name in versions:
        total = [sum(r) for r in rounds[name]]
        print(f"{name}: {1 / statistics.median(total):.0f} documents/s (CPU, one process; best round "
              f"{1 / min(total):.0f})")


if __name__ == "__main__":
    main()
