"""Benchmark: documents per second for render+check in batch, and one cold ``narrator render``.

    python bench/run.py --n 2000 --seed 1 [--runs 7] [--jobs 2] [--profile]

1. Generates N varied, valid figures files (bench/figuresgen.py; seeded, deterministic):
   consistent departments (``check`` finds no error) and, for the failing path, the same
   departments with last year's totals drawn independently (every one fails ``check``).
2. Renders and checks them all through ``narrator.workflow.batch`` (the code behind ``narrator batch``,
   writing every output file), in one process and with ``--jobs`` processes; reports complete
   documents per second, and per core, for both sets.
3. Times ``narrator render examples/atushi-2025.yaml`` in a fresh process ``--runs`` times and
   reports the median wall time. One untimed run first lets Python write its bytecode cache, as
   it is after any normal installation (this environment sets PYTHONDONTWRITEBYTECODE, which
   would otherwise make every run recompile narrator's modules).

Targets (issue 5, on a 2-core machine): ≥ 1,000 documents/s per core; cold render < 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
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
from cold import console_script  # noqa: E402
from layout import pick  # noqa: E402


def batch_rate(region: Path, out: Path, jobs: int) -> tuple[float, int, int, int]:
    """(documents per second, documents, failed, with check errors) for one batch over ``region``."""
    [plan, run, warm] = pick("workflow.batch", "plan", "run", "warm")

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    todo = plan(region, out, "xinjiang-2025")
    warm("xinjiang-2025")
    started = time.perf_counter()
    results = list(run(todo, jobs))
    seconds = time.perf_counter() - started
    failed = sum(1 for r in results if r.failed)
    errors = sum(1 for r in results if r.count("error"))
    return len(results) / seconds, len(results), failed, errors


def cold_render(runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) times of ``narrator render`` of the example, each in a new process."""
    command = console_script(ROOT) + ["render", str(ROOT / "examples" / "atushi-2025.yaml")]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # bytecode cache
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu


def profile(region: Path, out: Path, top: int = 30) -> None:
    """cProfile of a single-process batch, the functions with the most own time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    batch_rate(region, out, 1)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="number of figures files to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel run")
    parser.add_argument("--runs", type=int, default=7, help="cold renders to time")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the 1-process batch")
    args = parser.parse_args()

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="narrator-bench-") as tmp:
        out = Path(tmp) / "out"
        regions = {"consistent": Path(tmp) / "consistent", "inconsistent": Path(tmp) / "inconsistent"}
        started = time.perf_counter()
        for name, region in regions.items():
            figuresgen.write_region(region, args.n, args.seed, consistent=name == "consistent")
        print(f"generated 2 × {args.n} figures files (seed {args.seed}) in {time.perf_counter() - started:.1f} s")
        if args.profile:
            profile(regions["consistent"], out)
            return
        for name, region in regions.items():
            single, count, failed, errors = batch_rate(region, out, 1)
            parallel, *_ = batch_rate(region, out, args.jobs)
            print(f"{name:>12}: render+check, 1 process: {single:8.1f} documents/s  "
                  f"({count} documents, {failed} failed, {errors} with check errors)")
            print(f"{name:>12}: render+check, --jobs {args.jobs}:  {parallel:8.1f} documents/s  "
                  f"({parallel / min(args.jobs, cores):.1f} per core; {cores} cores)")
    times, cpu = cold_render(args.runs)
    print(f"cold `narrator render` example: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}, {args.runs} runs; CPU median {statistics.median(cpu):.3f} s)")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
