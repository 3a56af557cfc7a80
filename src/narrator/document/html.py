"""The rendered text as a clean, self-contained web page (no scripts, no external files).

Fonts and sizes come from the same style data as the Word document; the page prints on A4
with the official-document margins.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .blocks import Block, is_number, parse, runs
from .style import fonts, load_style


def _family(spec: dict[str, Any], generic: str = "serif") -> str:
    names = [f'"{name}"' for name in fonts(spec)]
    return ", ".join([*names, generic])


def _css(style: dict[str, Any]) -> str:
    body, title, table, page = style["body"], style["title"], style["table"], style["page"]
    heads = style["headings"]
    text_width = page["width_mm"] - page["left_mm"] - page["right_mm"]
    rules = [
        f"@page {{ size: A4; margin: {page['top_mm']}mm {page['right_mm']}mm {page['bottom_mm']}mm {page['left_mm']}mm; }}",
        f"body {{ max-width: {text_width}mm; margin: 2em auto; padding: 0 1em; color: #000; background: #fff;"
        f" font-family: {_family(body)}; font-size: {body['size_pt']}pt; line-height: {body['line_pt']}pt; }}",
        f"p {{ margin: 0; text-indent: {body.get('indent_chars', 2)}em; text-align: {body.get('align', 'justify')}; }}",
        f"h1 {{ font-family: {_family(title, 'sans-serif')}; font-size: {title['size_pt']}pt; font-weight: normal;"
        f" line-height: {title['line_pt']}pt; text-align: {title.get('align', 'center')};"
        f" margin: 0 0 {title.get('space_after_pt', 0)}pt; }}",
    ]
    for level in (1, 2, 3):
        spec = heads[str(level)]
        weight = "bold" if spec.get("bold") else "normal"
        generic = "sans-serif" if level == 1 else "serif"
        rules.append(f"h{level + 1} {{ font-family: {_family(spec, generic)}; font-size: {spec['size_pt']}pt;"
                     f" font-weight: {weight}; margin: 0; text-indent: {body.get('indent_chars', 2)}em; }}")
    rules += [
        f"table {{ border-collapse: collapse; width: 100%; margin: 0.5em 0; font-family: {_family(table)};"
        f" font-size: {table['size_pt']}pt; line-height: {table['line_pt']}pt; }}",
        "th, td { border: 1px solid #000; padding: 2pt 4pt; text-align: left; vertical-align: middle; }",
        f"th {{ text-align: center; font-weight: {'bold' if table.get('header_bold', True) else 'normal'}; }}",
        "td.num { text-align: right; } td.ord { text-align: center; }",
    ]
    return "\n".join(rules)


def _inline(text: str) -> str:
    return "".join(f"<strong>{escape(t)}</strong>" if bold else escape(t) for t, bold in runs(text))


def _table(block: Block) -> str:
    head, *rows = block.rows
    lines = ["<table>", "<thead><tr>" + "".join(f"<th>{_inline(c)}</th>" for c in head) + "</tr></thead>", "<tbody>"]
    for row in rows:
        cells = []
        for cell in row:
            kind = ' class="ord"' if cell.isdigit() else ' class="num"' if is_number(cell) else ""
            cells.append(f"<td{kind}>{_inline(cell)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def markdown_to_html(markdown: str, format_name: str | None = None) -> str:
    """The rendered Markdown as one HTML page."""
    style = load_style(format_name)
    blocks = parse(markdown)
    title = next((b.text for b in blocks if b.kind == "title"), "")
    body = []
    for block in blocks:
        if block.kind == "title":
            body.append(f"<h1>{_inline(block.text)}</h1>")
        elif block.kind == "heading":
            level = min(block.level, 3) + 1
            body.append(f"<h{level}>{_inline(block.text)}</h{level}>")
        elif block.kind == "paragraph":
            body.append(f"<p>{_inline(block.text)}</p>")
        else:
            body.append(_table(block))
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="narrator">',
        f"<title>{escape(title)}</title>",
        "<style>",
        _css(style),
        "</style>",
        "</head>",
        "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
        "",
    ])
