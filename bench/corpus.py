"""How `narrator review` does on a corpus of real texts whose errors a reviewer listed.

    python bench/corpus.py [CORPUS] [-v] [--keep-half-width]

CORPUS (default ``../shared/real-corpus``) holds ``*.txt`` texts and ``ERRORS.tsv`` (columns
file, line, kind, what; a line may be a range such as ``24-28``). Every text is reviewed in this
process (``review_file``) and its findings' lines compared with the listed ones, as
``shared/tools/corpus-check`` does: a listed error is found when any finding is on one of its
lines; a flagged line with no listed error is a false alarm. Printed:

- recall per kind and per file, and false-alarm lines per file;
- per rule: its findings, how many land on listed error lines (the rule's precision), and on how
  many false-alarm lines it is alone;
- a strict recall too, where one finding counts for one listed error only (a line with three
  listed errors and one finding has one found).

The corpus texts were NFKC-folded when stored (their full-width ，：；（） became half-width), so
the half-width punctuation rule says nothing there and is left out unless ``--keep-half-width``.
Not a test: nothing in the project reads the corpus.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path


def line_range(text: str) -> set[int]:
    """``24`` → {24}; ``24-28`` → {24, …, 28}."""
    first, _, last = text.partition("-")
    return set(range(int(first), int(last or first) + 1))


def listed_errors(corpus: Path) -> list[tuple[str, set[int], str, str]]:
    """The rows of ERRORS.tsv: file, lines, kind, what."""
    rows = []
    with open(corpus / "ERRORS.tsv", encoding="utf-8") as stream:
        next(stream)
        for raw in stream:
            if raw.strip():
                name, lines, kind, what = raw.rstrip("\n").split("\t", 3)
                rows.append((name, line_range(lines), kind, what))
    return rows


def review_corpus(corpus: Path, keep_half_width: bool) -> dict[str, list]:
    """Per text file name: its findings (unreadable files: the error's findings, reported)."""
    from narrator.errors import NarratorError
    from narrator.review import review_file

    found = {}
    for path in sorted(corpus.glob("*.txt")):
        try:
            findings = review_file(path).findings
        except NarratorError as error:
            print(f"cannot review {path.name}: {error}", file=sys.stderr)
            findings = []
        found[path.name] = [f for f in findings if keep_half_width or "half-width" not in f.rule]
    return found


def _percent(hit: int, total: int) -> str:
    return f"{hit}/{total} ({hit / total:.0%})" if total else "0/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=Path("../shared/real-corpus"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and every false alarm")
    parser.add_argument("--keep-half-width", action="store_true")
    args = parser.parse_args()
    if not (args.corpus / "ERRORS.tsv").is_file():
        raise SystemExit(f"{args.corpus}: no ERRORS.tsv here (give the corpus folder as argument)")
    rows = listed_errors(args.corpus)
    found = review_corpus(args.corpus, args.keep_half_width)
    flagged = {name: {f.location.line for f in findings} for name, findings in found.items()}
    error_lines = collections.defaultdict(set)
    for name, lines, _, _ in rows:
        error_lines[name] |= lines

    kinds = collections.defaultdict(lambda: [0, 0])
    files = collections.defaultdict(lambda: [0, 0])
    for name, lines, kind, what in rows:
        hit = bool(lines & flagged.get(name, set()))
        for tally in (kinds[kind], files[name]):
            tally[0] += hit
            tally[1] += 1
        if args.verbose and not hit:
            print(f"missed  {name}:{min(lines)} {kind}: {what[:100]}")
    false_alarms = {name: sorted(lines - error_lines[name]) for name, lines in flagged.items()}
    if args.verbose:
        for name, findings in sorted(found.items()):
            for f in findings:
                if f.location.line in false_alarms[name]:
                    print(f"flagged {name}:{f.location.line} {f.rule} {f.message}")

    print("recall per kind:")
    for kind, (hit, total) in sorted(kinds.items(), key=lambda kv: (-kv[1][1], kv[0])):
        print(f"  {kind:<14} {_percent(hit, total)}")
    print("per file: listed errors found, false-alarm lines:")
    for name in sorted(set(files) | set(found)):
        hit, total = files.get(name, (0, 0))
        print(f"  {name:<62} {_percent(hit, total):<14} {len(false_alarms.get(name, []))}")
    print("per rule: findings, on listed error lines (precision), lines where it is the only false alarm:")
    rules = collections.defaultdict(lambda: [0, 0, set()])
    for name, findings in found.items():
        by_line = collections.defaultdict(set)
        for f in findings:
            by_line[f.location.line].add(f.rule)
        for f in findings:
            tally = rules[f.rule]
            tally[0] += 1
            tally[1] += f.location.line in error_lines[name]
            if f.location.line not in error_lines[name] and by_line[f.location.line] == {f.rule}:
                tally[2].add((name, f.location.line))
    for rule, (total, hit, alone) in sorted(rules.items(), key=lambda kv: (-kv[1][0], kv[0])):
        print(f"  {rule:<28} {total:>4}  {_percent(hit, total):<14} {len(alone)}")
    hit = sum(h for h, _ in kinds.values())
    total = sum(t for _, t in kinds.values())
    alarms = sum(len(lines) for lines in false_alarms.values())
    # a line whose findings are all notes (提示: a 尾差 within rounding) tells the reviewer nothing is wrong
    noted = sum(1 for name, lines in false_alarms.items() for line in lines
                if all(f.level == "note" for f in found[name] if f.location.line == line))
    print(f"narrator review on {args.corpus}: {_percent(hit, total)} listed errors found; "
          f"{alarms} lines flagged where none is listed ({noted} of them notes only); "
          f"strict {_percent(strict_hits(rows, found), total)}")


def strict_hits(rows: list, found: dict[str, list]) -> int:
    """Listed errors found when one finding counts for one error only: a line with three listed
    errors and one finding is one found, not three (the plain figure counts a line's errors found
    once any finding is on it)."""
    hits = 0
    for name in {row[0] for row in rows}:
        free = sorted(f.location.line for f in found.get(name, []))
        for lines in sorted((row[1] for row in rows if row[0] == name), key=lambda ls: (len(ls), min(ls))):
            match = next((i for i, line in enumerate(free) if line in lines), None)
            if match is not None:
                free.pop(match)
                hits += 1
    return hits


if __name__ == "__main__":
    main()
