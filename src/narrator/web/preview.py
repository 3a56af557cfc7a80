"""The draft's preview: the rendered Markdown as HTML, every explained number a hover.

The text is the render's own Markdown (headings ``#``, paragraphs, ``|`` tables), so the page
shows it as the .docx will read. Each line keeps its line number (``data-line``) so that a lint
finding links to its sentence, and each number or direction word that ``explain`` placed gets a
``data-source`` naming its source (a line of the figures file, a rule, a format phrase, a
template), which the page shows beside it on hover or focus (a CSS tooltip).
"""

from __future__ import annotations

from html import escape

from ..text.explain import Explained


def preview_html(markdown: str, explained: list[Explained] = ()) -> str:  # type: ignore[assignment]
    """The HTML of the preview pane for ``markdown`` and its explained numbers."""
    by_line: dict[int, list[Explained]] = {}
    for item in explained:
        by_line.setdefault(item.line, []).append(item)
    out: list[str] = []
    table: list[str] = []
    for number, line in enumerate(markdown.split("\n"), 1):
        marks = by_line.get(number, [])
        if line.startswith("|"):
            if set(line) <= set("|-: "):
                continue  # the header rule of a Markdown table
            cells = _cells(line)
            tag = "th" if not table else "td"
            table.append(f'<tr data-line="{number}">' + "".join(
                f"<{tag}>{_marked(line, start, end, marks)}</{tag}>" for start, end in cells) + "</tr>")
            continue
        if table:
            out.append('<table>' + "".join(table) + "</table>")
            table = []
        if not line.strip():
            continue
        level = len(line) - len(line.lstrip("#"))
        if 0 < level <= 6 and line[level:level + 1] == " ":
            out.append(f'<h{level + 1} data-line="{number}">'
                       f"{_marked(line, level + 1, len(line), marks)}</h{level + 1}>")
        else:
            out.append(f'<p data-line="{number}">{_marked(line, 0, len(line), marks)}</p>')
    if table:
        out.append('<table>' + "".join(table) + "</table>")
    return "\n".join(out)


def _cells(line: str) -> list[tuple[int, int]]:
    """The spans of a table row's cells within the line, without the bars and outer spaces."""
    bars = [i for i, ch in enumerate(line) if ch == "|"]
    spans = []
    for left, right in zip(bars, bars[1:]):
        start, end = left + 1, right
        while start < end and line[start] == " ":
            start += 1
        while end > start and line[end - 1] == " ":
            end -= 1
        spans.append((start, end))
    return spans


def _marked(line: str, start: int, end: int, marks: list[Explained]) -> str:
    """``line[start:end]`` escaped, each explained item in it wrapped in a span with its source."""
    parts, position = [], start
    for item in sorted(marks, key=lambda i: i.column):
        begin = item.column - 1
        finish = begin + len(item.text)
        if begin < position or finish > end:
            continue
        parts.append(escape(line[position:begin]))
        where = item.source.describe() if item.source is not None else "来源不明"
        kind = "num" if item.kind == "number" else "dir"
        missing = "" if item.source is not None else " unknown"
        parts.append(f'<span class="{kind}{missing}" tabindex="0" data-source="来源：{escape(where)}">'
                     f"{escape(item.text)}</span>")
        position = finish
    parts.append(escape(line[position:end]))
    return "".join(parts)
