"""``narrator explain``: every number and direction word of a rendered text with its source.

The text is rendered with tracing on (see :mod:`narrator.text.trace`): each printed figure, rule
value and format phrase leaves a span in the text. A number is explained by the innermost span
that contains it — the figure (YAML path and line), the rule (name, expression, unrounded
value, declared total) or the format phrase that wrote it; a number written literally in a
template (“50万元以上大型设备”, a list number “1.”) is found in the format's template files.
Lint uses the same map to tie the numbers of a human text back to the figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import Location
from ..intake.figures import LoadedFigures
from .formats import DEFAULT_FORMAT, load_format
from ..document.output import convert
from .render import Rendered, render_figures
from ..resources import templates_dirs
from .trace import RECORDER, Recorder, Source, Span, decode, innermost
from .wording import direction_pattern
from ..loading.yamlload import read_text

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")


@dataclass(frozen=True)
class Explained:
    """One number or direction word of the text, where it is and where it came from."""

    text: str
    kind: str                   # number | direction
    start: int
    line: int
    column: int
    source: Source | None

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"text": self.text, "kind": self.kind, "line": self.line, "column": self.column,
                "source": self.source.to_dict() if self.source else None}

    def format(self) -> str:
        """One line: ``行:列 文字 ← 来源``."""
        where = self.source.describe() if self.source else "（来源不明）"
        return f"{self.line}:{self.column}\t{self.text}\t← {where}"


@dataclass
class TracedText:
    """A rendered text (without markers) with the spans its traced values produced."""

    text: str
    spans: list[Span]
    rendered: Rendered


def render_traced(loaded: LoadedFigures, format_name: str = DEFAULT_FORMAT, kind: str = "txt") -> TracedText:
    """Render with tracing and return the clean text (as ``kind``) and its spans."""
    recorder = Recorder()
    token = RECORDER.set(recorder)
    try:
        rendered = render_figures(loaded, format_name, trace=True)
    finally:
        RECORDER.reset(token)
    text, spans = decode(convert(rendered.text, kind), recorder)
    rendered.text = decode(rendered.text, recorder)[0]  # the Markdown, as render gives it
    return TracedText(text, spans, rendered)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return starts


def position(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    import bisect

    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1


@cache
def _template_lines(format_name: str) -> list[tuple[str, int, str]]:
    """Every line of the format's templates and the shared templates, with file and number."""
    fmt = load_format(format_name)
    lines = []
    folders = [fmt.folder] + [root / "_shared" for root in templates_dirs()]
    for folder in folders:
        # templates, and the format's own fixed texts (options such as “安排政府采购预算0万元”)
        for path in sorted(Path(folder).rglob("*.j2")) + sorted(Path(folder).glob("format.yaml")):
            shown = f"templates/{path.relative_to(path.parents[len(path.relative_to(folder).parts)]).as_posix()}"
            for number, line in enumerate(read_text(path).splitlines(), 1):
                lines.append((shown, number, line))
    return lines


def _template_source(format_name: str, text: str, start: int, end: int) -> Source | None:
    """The template line that writes the literal number at ``[start, end)`` with its neighbours."""
    for width in (6, 4, 2, 1):  # the widest neighbourhood that a template line writes literally
        before = text[max(0, start - width):start].split("\n")[-1].lstrip()
        after = text[end:end + width].split("\n")[0]
        probe = before + text[start:end] + after
        for path, number, line in _template_lines(format_name):
            column = line.find(probe)
            if column >= 0:
                return Source("template", path, Location(path, number, column + len(before) + 1),
                              detail=(("literal", text[start:end]),))
    return None


def explain_text(traced: TracedText, format_name: str = DEFAULT_FORMAT) -> list[Explained]:
    """Every number and direction word of a traced text, in order, with its source."""
    text = traced.text
    starts = _line_starts(text)
    items = []
    found = [(m, "number") for m in NUMBER.finditer(text)]
    found += [(m, "direction") for m in direction_pattern().finditer(text)]
    for match, kind in sorted(found, key=lambda pair: pair[0].start()):
        span = innermost(traced.spans, match.start(), match.end())
        source = span.source if span is not None else None
        if source is None and kind == "number":
            source = _template_source(format_name, text, match.start(), match.end())
        line, column = position(starts, match.start())
        items.append(Explained(match.group(), kind, match.start(), line, column, source))
    return items


def explain_figures(loaded: LoadedFigures, format_name: str = DEFAULT_FORMAT,
                    kind: str = "txt") -> tuple[TracedText, list[Explained]]:
    """Render ``loaded`` traced (as text type ``kind``) and explain every number and direction word."""
    traced = render_traced(loaded, format_name, kind)
    return traced, explain_text(traced, format_name)


def to_json(path: str, traced: TracedText, items: list[Explained]) -> dict:
    """The JSON document of ``explain`` / ``render --explain``."""
    return {"figures": path, "text": traced.text, "items": [i.to_dict() for i in items],
            "unexplained": sum(1 for i in items if i.source is None)}
