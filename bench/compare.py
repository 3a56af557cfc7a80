"""A/B benchmark: a git revision against the working tree, interleaved, on a busy machine.

    python bench/compare.py --base REV [--n 200] [--rounds 10] [--seed 1]

Absolute timings on a shared machine swing by a factor of two from one minute to the next.
This runs the two versions side by side in two long-lived processes that take turns (A, B,
A, B …) rendering the same generated figures files (load, validate, render, write — the work
of one batch document), and reports for each the median and best time per document, in CPU
and wall time, and the ratio. It also times cold ``narrator render`` of the example, alternating
the two versions. Only the library API both versions have is used (load_figures, render_figures).
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
import sys, time
from pathlib import Path
from narrator.figures import load_figures
from narrator.render import render_figures
paths = sorted(Path(sys.argv[1]).rglob("*.yaml"))
out = Path(sys.argv[2])
def once():
    for n, path in enumerate(paths):
        text = render_figures(load_figures(path)).text
        (out / f"{n}.md").write_text(text, encoding="utf-8")
once()  # warm: rules, templates, classification loaded once per process
for line in sys.stdin:
    cpu, wall = time.process_time(), time.perf_counter()
    once()
    print(f"{(time.process_time() - cpu) / len(paths)} {(time.perf_counter() - wall) / len(paths)}", flush=True)
"""


def _env(src: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="git revision to compare with the working tree")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=9, help="cold renders of each version")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="narrator-ab-") as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        region = Path(tmp) / "region"
        figuresgen.write_region(region, args.n, args.seed)
        versions = {"base": base / "src", "work": None}
        workers = {}
        for name, src in versions.items():
            out = Path(tmp) / f"out-{name}"
            out.mkdir()
            workers[name] = subprocess.Popen([sys.executable, "-c", WORKER, str(region), str(out)], env=_env(src),
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
        same = all((Path(tmp) / "out-base" / f"{n}.md").read_bytes() == (Path(tmp) / "out-work" / f"{n}.md").read_bytes()
                   for n in range(args.n))
        cold: dict[str, list[float]] = {name: [] for name in versions}
        command = [sys.executable, "-m", "narrator", "render", str(ROOT / "examples" / "atushi-2025.yaml")]
        for name, src in versions.items():  # one untimed run each: bytecode caches written
            subprocess.run(command, env=_env(src), stdout=subprocess.DEVNULL, check=True)
        for _ in range(args.runs):
            for name, src in versions.items():
                started = time.perf_counter()
                subprocess.run(command, env=_env(src), stdout=subprocess.DEVNULL, check=True)
                cold[name].append(time.perf_counter() - started)
    print(f"{args.n} generated documents x {args.rounds} rounds, versions alternating; outputs identical: {same}")
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
