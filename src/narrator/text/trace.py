"""Provenance of printed values: where each number in a rendered text came from.

Tracing is off by default and costs nothing then. When a render is traced (for ``explain`` and
for ``lint --figures``):

- every figure of the file and every rule value is a *traced* value — a ``Decimal``, ``int`` or
  ``str`` subclass that carries a :class:`Source` (arithmetic on it gives a plain value again,
  so a rule's result is traced to that rule, not to its inputs);
- the filters keep the source of the value they format, and the environment's ``finalize``
  hook wraps every printed value that has a source (or that the template computed itself) in
  invisible markers, registered with the current :data:`RECORDER`;
- :func:`decode` strips the markers from the finished text and returns the spans (start, end,
  source) they enclosed. Spans nest: a phrase (“减少…万元，下降…%”) encloses its amounts.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..errors import Location

OPEN, MID, CLOSE = "\x02", "\x03", "\x04"


@dataclass(frozen=True)
class Source:
    """Where a printed value came from: a figure, a rule, a format phrase or a template."""

    kind: str                   # figure | rule | phrase | template
    name: str                   # figure path, rule name, phrase group.case, template file
    location: Location
    owner: str = ""             # the record a rule was evaluated on
    detail: tuple = ()          # (key, value) pairs: label, expression, unrounded value …

    def describe(self) -> str:
        """A short Chinese description, as used in findings (“应为 … （…）”)."""
        info = dict(self.detail)
        if self.kind == "figure":
            return f"数据文件 {self.location.path} 第 {self.location.line} 行 {self.name}"
        if self.kind == "rule":
            label = info.get("label") or self.name
            owner = f"，{self.owner}" if self.owner else ""
            return f"{label}：规则 {self.name}{owner}"
        if self.kind == "phrase":
            return f"格式措辞 phrases.{self.name}（{self.owner}）"
        return f"模板 {self.location.path} 第 {self.location.line} 行"

    def to_dict(self) -> dict:
        """JSON-ready form."""
        result = {"kind": self.kind, "name": self.name, "path": self.location.path,
                  "line": self.location.line, "column": self.location.column}
        if self.owner:
            result["owner"] = self.owner
        result.update({k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.detail})
        return result


class TracedDecimal(Decimal):
    """A Decimal that remembers its source."""

    source: Source


class TracedInt(int):
    """An int that remembers its source."""

    source: Source


class TracedStr(str):
    """A str that remembers its source."""

    source: Source


def traced(value: Any, source: Source) -> Any:
    """``value`` carrying ``source`` (bools, None and other types are returned unchanged)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        result: Any = TracedDecimal(value)
    elif isinstance(value, int):
        result = TracedInt(value)
    elif isinstance(value, str):
        result = TracedStr(value)
    else:
        return value
    result.source = source
    return result


def source_of(value: Any) -> Source | None:
    """The source a value carries, if any."""
    return getattr(value, "source", None) if isinstance(value, (Decimal, int, str)) else None


# -- recording while rendering ------------------------------------------------------------------

@dataclass
class Recorder:
    """Sources registered while rendering; markers in the text refer to them by index."""

    sources: list[Source] = field(default_factory=list)

    def mark(self, text: str, source: Source) -> str:
        self.sources.append(source)
        return f"{OPEN}{len(self.sources) - 1}{MID}{text}{CLOSE}"


RECORDER: ContextVar[Recorder | None] = ContextVar("narrator_trace_recorder", default=None)


@dataclass(frozen=True)
class Span:
    """A stretch of the final text that a traced value produced."""

    start: int
    end: int
    source: Source
    depth: int


_MARK = re.compile(f"{OPEN}(\\d+){MID}|{CLOSE}")


def decode(text: str, recorder: Recorder) -> tuple[str, list[Span]]:
    """The text without markers, and the spans the markers enclosed (outer spans first)."""
    out: list[str] = []
    spans: list[Span] = []
    stack: list[tuple[int, int]] = []
    position = 0
    last = 0
    for match in _MARK.finditer(text):
        out.append(text[last:match.start()])
        position += match.start() - last
        last = match.end()
        if match.group(1) is not None:
            stack.append((int(match.group(1)), position))
        elif stack:
            index, start = stack.pop()
            spans.append(Span(start, position, recorder.sources[index], len(stack)))
    out.append(text[last:])
    spans.sort(key=lambda s: (s.start, -s.end))
    return "".join(out), spans


def innermost(spans: list[Span], start: int, end: int) -> Span | None:
    """The deepest span that contains ``[start, end)``."""
    best = None
    for span in spans:
        if span.start <= start and end <= span.end and (best is None or span.depth > best.depth):
            best = span
    return best


# -- making values traced ------------------------------------------------------------------------

_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _raw_parts(path: str) -> list[Any]:
    return [int(index) if index else name for index, name in _PART.findall(path)]


def _written(raw: Any, parts: list[Any]) -> bool:
    node = raw
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    return True


def figure_source(loaded: Any, path: str) -> Source:
    """The source of the figure at ``path`` (``income.general.amount``, ``functional[1].prior``)."""
    parts = _raw_parts(path)
    detail: tuple = () if _written(loaded.raw, parts) else (("note", "未填写，按默认值"),)
    return Source("figure", path, loaded.locate(*parts), detail=detail)


def trace_roots(roots: dict[str, Any], loaded: Any) -> None:
    """Make every figure under ``roots`` a traced value (in place)."""
    from ..intake.records import Record, RecordList

    def walk(value: Any, path: str) -> Any:
        if isinstance(value, Record):
            fields = value._fields
            for name, field_value in fields.items():
                if name in ("key", "code", "given", "kind", "fiscal"):
                    continue  # identities, not printed figures
                fields[name] = walk(field_value, f"{value.path}.{name}")
            return value
        if isinstance(value, RecordList):
            for item in value:
                walk(item, "")
            return value
        if isinstance(value, (Decimal, int, str)) and path:
            source = figure_source(loaded, path)
            if isinstance(value, str) and source.detail:
                return value  # a name from the vocabulary, not a figure of this file
            return traced(value, source)
        return value

    for name, value in roots.items():
        if isinstance(value, dict) and not isinstance(value, Record):
            roots[name] = {k: walk(v, f"{name}.{k}") for k, v in value.items()}
        else:
            roots[name] = walk(value, name)


def _portable(location: Location) -> Location:
    """A data file's location relative to the project (``rules/rule-sets/budget.yaml``), not this machine."""
    path = location.path.replace("\\", "/")
    for folder in ("/rules/", "/templates/"):
        if folder in path:
            path = folder[1:] + path.split(folder, 1)[1]
    return Location(path, location.line, location.column)


def _function_names() -> frozenset[str]:
    from ..compute.functions import FUNCTIONS
    from ..compute.rules import ENGINE_FUNCTIONS

    return frozenset(FUNCTIONS) | frozenset(ENGINE_FUNCTIONS)


_ITEM_ATTR = re.compile(r"\bitem\.(\w+)")


def _inputs(rule: Any, record: Any) -> dict[str, str]:
    """The values of ``item.<attr>`` a rule's expression reads on its record."""
    values: dict[str, str] = {}
    if record is None:
        return values
    for name in dict.fromkeys(_ITEM_ATTR.findall(rule.text + " " + rule.declared_text)):
        value = record._values.get(name, record._fields.get(name))
        if isinstance(value, (Decimal, int, str)) and not isinstance(value, bool):
            values[f"item.{name}"] = str(value)
    return values


def fact_tracer(fact: Any, record: Any) -> Any:
    """The engine's hook: a rule's value carrying the rule as its source."""
    from ..intake.records import Record

    rule = fact.rule
    value = fact.value
    detail: list[tuple[str, Any]] = [("label", rule.label), ("expr", rule.text)]
    inputs = _inputs(rule, record)
    if inputs:
        detail.append(("inputs", inputs))
    uses = sorted(rule.uses - _function_names())
    if uses:
        detail.append(("uses", uses))
    if isinstance(fact.derived, Decimal):
        detail.append(("unrounded", fact.derived))
        detail.append(("rounding", "写入文字时四舍五入到两位小数（ROUND_HALF_UP）"))
    if fact.declared is not None:
        detail.append(("declared", fact.declared))
        detail.append(("declared_expr", rule.declared_text))
    source = Source("rule", rule.name, _portable(rule.location), fact.owner, tuple(detail))
    if isinstance(value, Record) and value.path == rule.name:
        for name, field_value in value._fields.items():
            value._fields[name] = traced(field_value, Source(
                "rule", f"{rule.name}.{name}", _portable(rule.location), fact.owner,
                (("label", rule.label), ("expr", rule.text))))
        return value
    return traced(value, source)
