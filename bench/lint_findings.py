"""Same lint findings? A git revision against the working tree, on every text the tests lint.

    python bench/lint_findings.py --base REV [--keep DIR]

Lints, in one fresh process per version, every case text of ``tests/lint_cases`` (without
figures and against ``examples/atushi-2025.yaml``), the text rendered for every example (against
its own figures, without figures, and the atushi-2025 text against each example's figures) and
every ``.txt``/``.md`` file under ``tests/``, and writes each run's findings, placed findings, rules
checked, numbers tied and year, one line each. The two dumps must be byte-identical: a speed change
to lint is measured only once this says nothing else changed. Exits 1 and prints the first
differing lines when they differ. ``--keep DIR`` keeps the two dumps.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DUMP = r"""
import glob, sys
import yaml
from narrator.intake.figures import load_figures
from narrator.lint import lint_text
try:  # narrator.document.output since the modules were grouped by stage; narrator.output before
    from narrator.document.output import convert
except ImportError:
    from narrator.output import convert
from narrator.text.render import render_figures

out = open(sys.argv[1], "w", encoding="utf-8")
def dump(tag, report):
    out.write(f"## {tag} numbers={report.numbers} tied={report.tied} year={report.year}\n")
    out.writelines(f.format() + "\n" for f in report.findings)
    out.writelines("placed " + f.format() + "\n" for f in report.placed)
    out.write(repr(sorted(report.rules.items())) + "\n")
atushi = load_figures("examples/atushi-2025.yaml")
for path in sorted(glob.glob("tests/lint_cases/*.yaml")):
    for n, case in enumerate(yaml.safe_load(open(path, encoding="utf-8"))["cases"]):
        for figures in (None, atushi):
            dump(f"{path} {n} figures={figures is not None}",
                 lint_text(case["text"], "case.txt", figures, paragraph_lines=bool(case.get("paragraph_lines"))))
rendered = {}
for path in sorted(glob.glob("examples/*.yaml")):
    loaded = load_figures(path)
    rendered[path] = loaded, convert(render_figures(loaded).text, "txt")
for path, (loaded, text) in rendered.items():
    dump(f"{path} itself", lint_text(text, "x.md", loaded, loaded.format_name))
    dump(f"{path} no figures", lint_text(text, "x.md", None, loaded.format_name))
    dump(f"{path} atushi-2025 text", lint_text(rendered["examples/atushi-2025.yaml"][1], "a.md", loaded, loaded.format_name))
for path in sorted(glob.glob("tests/**/*.txt", recursive=True) + glob.glob("tests/**/*.md", recursive=True)):
    try:
        text = open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError):
        continue
    dump(f"{path} no figures", lint_text(text, path, None))
"""


def dump(source: Path, out: Path) -> None:
    """Write the findings of the version whose ``src`` is ``source`` to ``out`` (run in the working tree's data)."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    subprocess.run([sys.executable, "-c", DUMP, str(out)], check=True, cwd=ROOT, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="git revision to compare the working tree with")
    parser.add_argument("--keep", type=Path, help="folder to keep the two dumps in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="narrator-lint-findings-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        # the base's code with the working tree's tests and examples; its own rules and templates
        # (a lint rule's data may be part of the change: each version reads the data it was written with)
        dump(base / "src", folder / "base.txt")
        dump(ROOT / "src", folder / "work.txt")
        before = (folder / "base.txt").read_text(encoding="utf-8").splitlines()
        after = (folder / "work.txt").read_text(encoding="utf-8").splitlines()
    runs = sum(line.startswith("## ") for line in after)
    if before == after:
        print(f"same findings: {runs} lint runs, {len(after)} lines")
        return
    print(f"findings differ ({runs} lint runs):")
    diff = list(difflib.unified_diff(before, after, "base", "work", lineterm="", n=1))[:60]
    sys.stdout.writelines((line if len(line) <= 300 else line[:300] + " …") + "\n" for line in diff)
    raise SystemExit(1)


if __name__ == "__main__":
    main()
