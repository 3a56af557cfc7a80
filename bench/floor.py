"""How fast a batch could be if the later stages cost nothing: the floor under issue 14's bar.

    python bench/floor.py [--n 200] [--rounds 7] [--seed 1]

For N generated consistent departments, in one process, as ``narrator batch --jobs 1`` runs them
(the collector paused while a file is done and its young generation collected after it, as
``workflow.batch.run_job_collected`` does), times CPU per document of:

- ``read+write``: reading the figures file (``load_yaml``: the scan with its line marks) and
  writing its text (already rendered) atomically into an empty folder;
- ``+validate``: the same, with the figures validated (``validate_figures``: schema and
  classification);
- ``+records``: the same, with the records the rules and templates read (``build_roots``);
- ``whole``: everything a batch does for the file (``run_job_collected``).

Each line says how many documents a second a batch could do if every stage after it were free.
Where the optional packages ``ryml`` (rapidyaml) and ``msgspec`` are installed, it also times the
fastest reader of the same files found outside narrator (rapidyaml's parse, its JSON, and msgspec's
decoding of that JSON with amounts as Decimal: no line marks, no checks), to show what another
reader could save. Neither package is a dependency of narrator.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))  # this checkout's narrator, not whichever is installed
sys.path.insert(0, str(HERE))

import figuresgen  # noqa: E402
from layout import pick  # noqa: E402

FORMAT = "xinjiang-2025"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    [load_yaml] = pick("loading.yamlload", "load_yaml")
    [validate_figures] = pick("intake.figures", "validate_figures")
    [build_roots] = pick("intake.records", "build_roots")
    [convert, write_all] = pick("document.output", "convert", "write_all")
    [plan, run_job_collected, warm] = pick("workflow.batch", "plan", "run_job_collected", "warm")
    [pinned] = pick("text.formats", "pinned")

    with tempfile.TemporaryDirectory(prefix="narrator-floor-") as tmp:
        region, out = Path(tmp) / "region", Path(tmp) / "out"
        figuresgen.write_region(region, args.n, args.seed)
        warm(FORMAT)
        with pinned():
            jobs = plan(region, out, FORMAT)
            for job in jobs:  # each file's text, rendered once beforehand
                run_job_collected(job)
            paths = [Path(job.source) for job in jobs]
            outputs = [Path(job.output) for job in jobs]
            texts = {output: output.read_text(encoding="utf-8") for output in outputs}
            clock = time.process_time

            def empty_folders() -> None:  # as a batch finds them: the county folders made, no file in them
                shutil.rmtree(out, ignore_errors=True)
                for folder in sorted({output.parent for output in outputs}):
                    folder.mkdir(parents=True, exist_ok=True)

            def partial(stop: int) -> float:
                empty_folders()
                started = clock()
                for path, output in zip(paths, outputs):
                    gc.disable()
                    raw = load_yaml(path, str(path))
                    if stop >= 1:
                        loaded = validate_figures(raw, str(path), FORMAT)
                    if stop >= 2:
                        build_roots(loaded)
                    write_all([(output, convert(texts[output], ".md", FORMAT))])
                    gc.enable()
                    gc.collect(0)
                return (clock() - started) / len(paths)

            def whole() -> float:
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()  # (the batch makes the county folders itself)
                started = clock()
                for job in jobs:
                    run_job_collected(job)
                return (clock() - started) / len(jobs)

            measures = {"read+write": lambda: partial(0), "+validate": lambda: partial(1),
                        "+records": lambda: partial(2), "whole": whole}
            other = other_reader(paths)
            if other is not None:
                measures["rapidyaml+msgspec (no marks, no checks)"] = other
            times: dict[str, list[float]] = {name: [] for name in measures}
            for _ in range(args.rounds):  # interleaved, so that a busy moment hits every measure alike
                for name, measure in measures.items():
                    times[name].append(measure())
    print(f"{args.n} generated consistent departments x {args.rounds} rounds; CPU µs per document, "
          f"median and best round (load average {os.getloadavg()[0]:.1f})")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:42s}{median * 1e6:8.0f}{min(values) * 1e6:8.0f}   "
              f"at most {1 / median:6.0f} documents/s if what follows cost nothing")


def other_reader(paths: list[Path]):
    """A measure of rapidyaml + msgspec reading the same files, or None when they are not installed."""
    try:
        import msgspec
        import ryml
    except ImportError:
        return None
    from decimal import Decimal

    decoder = msgspec.json.Decoder(float_hook=Decimal)

    def measure() -> float:
        started = time.process_time()
        for path in paths:
            tree = ryml.parse_in_arena(path.read_bytes())
            decoder.decode(ryml.emit_json_malloc(tree, tree.root_id()))
        return (time.process_time() - started) / len(paths)
    return measure


if __name__ == "__main__":
    main()
