"""``narrator diff``: what a change of figures does to the text, sentence by sentence, and why.

Both figures files are rendered; their texts are aligned sentence by sentence; each changed,
added or removed sentence is shown with the section it is in and the figures whose change
alters it (found by rendering, see :mod:`narrator.workflow.figdiff`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .figdiff import ABSENT, Change, causes_of_new, causes_of_old, figure_changes, line_of, plain, trace
from ..text.formats import DEFAULT_FORMAT
from ..text.sentences import align, split_units


@dataclass
class SentenceChange:
    """One sentence that changes: before, after (empty when removed or added), where, why."""

    kind: str  # "changed" | "added" | "removed"
    old: str
    new: str
    line: int  # in the new text (for a removed sentence: where it was in the old text)
    heading: str
    causes: list[Change] = field(default_factory=list)


@dataclass
class TextDiff:
    """Every sentence change, and every figure change (with its line in the new file)."""

    sentences: list[SentenceChange]
    changes: list[Change]
    figure_lines: dict[str, tuple[str, int]]  # path → ("old" | "new", line in that file)


def _lines_and_headings(units: list) -> tuple[list[int], list[str]]:
    """Each unit's line, and the section it is in (“十二、… › （二）…”, below the title)."""
    lines, headings = [], []
    line, path = 1, {}
    for n, unit in enumerate(units):
        if n:
            line += unit.sep.count("\n")
        if unit.text.startswith("#"):
            level = len(unit.text) - len(unit.text.lstrip("#"))
            path = {k: v for k, v in path.items() if k < level}
            path[level] = unit.text.lstrip("#").strip()
        lines.append(line)
        headings.append(" › ".join(v for k, v in sorted(path.items()) if k > 1))
    return lines, headings


def diff_files(old_path: Path | str | Any, new_path: Path | str, format_name: str = DEFAULT_FORMAT) -> TextDiff:
    """The sentence-by-sentence difference between the texts of two figures files.

    ``old_path`` may also be figures already loaded (those recorded in a Word document).
    """
    from ..intake.figures import LoadedFigures, load_figures
    from ..text.render import render_figures

    old = old_path if isinstance(old_path, LoadedFigures) else load_figures(old_path, format_name=format_name)
    new = load_figures(new_path, format_name=format_name)
    old_text = render_figures(old, format_name).text.strip("\n")
    new_text = render_figures(new, format_name).text.strip("\n")
    a, b = split_units(old_text), split_units(new_text)
    changes = figure_changes(plain(old.raw), plain(new.raw))
    if changes and old_text != new_text:
        trace(changes, plain(old.raw), a, format_name)
    pairs = align(a, b, moves=False)
    old_lines, _ = _lines_and_headings(a)
    new_lines, new_headings = _lines_and_headings(b)
    _, old_headings = _lines_and_headings(a)
    result = []
    for i, unit in enumerate(a):
        j = pairs.get(i)
        if j is None:
            result.append(SentenceChange("removed", unit.text, "", old_lines[i], old_headings[i],
                                         causes_of_old(changes, i)))
        elif b[j].text != unit.text:
            result.append(SentenceChange("changed", unit.text, b[j].text, new_lines[j], new_headings[j],
                                         causes_of_old(changes, i)))
    kept = set(pairs.values())
    for j, unit in enumerate(b):
        if j not in kept:
            result.append(SentenceChange("added", "", unit.text, new_lines[j], new_headings[j],
                                         causes_of_new(changes, unit.text)))
    order = {"removed": 0, "changed": 1, "added": 2}
    result.sort(key=lambda s: (s.line, order[s.kind]))
    lines = {c.path: ("old", line_of(old.raw, c, "")) if c.new is ABSENT else ("new", line_of(new.raw, c, ""))
             for c in changes}
    return TextDiff(result, changes, lines)


def _cause(change: Change, diff: TextDiff, old_name: str, new_name: str) -> str:
    which, line = diff.figure_lines.get(change.path, ("new", 0))
    return f"{change.describe()}（{old_name if which == 'old' else new_name}:{line}）"


def format_diff(diff: TextDiff, old_name: str, new_name: str) -> str:
    """The difference as text for people: one block per sentence, grouped by section."""
    if not diff.changes:
        return "两份数据相同，文字不变。\n"
    if not diff.sentences:
        return "数据有变化，但生成的文字不变：\n" + "".join(f"  {c.describe()}\n" for c in diff.changes)
    out, heading = [], None
    for s in diff.sentences:
        if s.heading != heading:
            heading = s.heading
            out.append(f"\n## {heading or '（标题前）'}\n")
        where = f"（新文第 {s.line} 行）" if s.kind != "removed" else f"（原文第 {s.line} 行）"
        label = {"changed": "改", "added": "增", "removed": "删"}[s.kind]
        out.append(f"[{label}]{where}\n")
        if s.old:
            out.append(f"- {s.old}\n")
        if s.new:
            out.append(f"+ {s.new}\n")
        causes = "；".join(_cause(c, diff, old_name, new_name) for c in s.causes)
        out.append(f"  因为：{causes}\n")
    counts = {k: sum(1 for s in diff.sentences if s.kind == k) for k in ("changed", "added", "removed")}
    out.append(f"\n共 {len(diff.sentences)} 句有变化（改 {counts['changed']}、增 {counts['added']}、"
               f"删 {counts['removed']}），由 {len(diff.changes)} 项数据变化引起。\n")
    return "".join(out).lstrip("\n")
