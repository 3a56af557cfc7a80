"""What every lint kind sees: the parsed text, and (with figures) the rendered reference."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..errors import Finding, Location
from .document import Document, Token, parse

if TYPE_CHECKING:
    from ..text.formats import Format
    from ..text.trace import Source


class Reference:
    """The text rendered from the figures, parsed the same way, with each token's source.

    The text is the one ``narrator render`` writes. The sources (which figure, rule or phrase
    wrote each number) are only needed for the message of a figure finding: they come from a
    second, traced render (~40 ms, eight times the plain one), made when a message first asks.
    (A plain class, as :class:`Context`: making a dataclass costs every cold lint ~0.5 ms.)
    """

    def __init__(self, doc: Document, loaded: Any = None, format_name: str = "", figures_path: Any = None,
                 requested: str | None = None, phrases: tuple[str, ...] | None = None) -> None:
        self.doc = doc
        self.loaded = loaded
        self.format_name = format_name
        self._sources: dict[int, Source] | None = None
        #: the figures file and the format asked for, read when ``loaded`` is None and the sources are needed
        self.figures_path = figures_path
        self.requested = requested
        #: the format's phrases (:func:`phrases_of`), when kept with the reference
        self.phrases = phrases

    @classmethod
    def from_figures(cls, loaded: Any, format_name: str) -> "Reference":
        from ..document.output import convert
        from ..text.render import render_figures

        rendered = render_figures(loaded, format_name)
        return cls(parse(convert(rendered.text, "txt"), "<rendered>"), loaded, format_name)

    @classmethod
    def from_kept(cls, doc: Document, format_name: str, figures_path: Any, requested: str | None,
                  phrases: tuple[str, ...]) -> "Reference":
        """The reference parsed before from the text the figures file ``figures_path`` rendered in
        the format ``requested`` (:mod:`narrator.lint.refcache`), with the format's ``phrases``: the
        figures are read again only if a message needs the sources."""
        return cls(doc, None, format_name, figures_path=figures_path, requested=requested, phrases=phrases)

    @property
    def sources(self) -> dict[int, Source]:
        """Token start → the source of its number (from a traced render, made once)."""
        if self._sources is None:
            from ..text.explain import render_traced
            from ..text.trace import innermost

            if self.loaded is None and self.figures_path is not None:
                from ..intake.figures import load_figures

                self.loaded = load_figures(self.figures_path, format_name=self.requested)

            traced = render_traced(self.loaded, self.format_name, "txt")
            tokens = self.doc.tokens
            # the traced text is the plain one, but for a word a macro may choose otherwise
            # when its value is traced (shanghai-budget: “与上年持平” for “比上年持平”); the
            # numbers are then still the same ones, in the same order
            there = tokens if traced.text == self.doc.text else parse(traced.text, "<rendered>").tokens
            if len(there) != len(tokens) or any(a.text != b.text for a, b in zip(there, tokens)):
                there = tokens
            sources = {}
            for token, traced_token in zip(tokens, there):
                digits = re.match(r"[\d,.]+", traced_token.text).group()
                span = innermost(traced.spans, traced_token.start, traced_token.start + len(digits))
                if span is not None:
                    sources[token.start] = span.source
            self._sources = sources
        return self._sources


class Context:
    """The document being linted and what it is compared with."""

    def __init__(self, doc: Document, fmt: "Format | None", reference: Reference | None = None,
                 asides: Sequence[Any] = (), line_name: Callable[[int], str] | None = None,
                 tables: Sequence[Any] = (), paragraph_lines: bool = False,
                 place_of: Callable[[int], Any] | None = None, format_wording: bool = True) -> None:
        self.doc = doc
        self.fmt = fmt      # None: the reference holds the format's phrases (kept, see lint.refcache)
        self.reference = reference
        self.flagged: set[int] = set()    # token starts a figure finding is about
        # lines read but kept out of the text (contents, captions: ``narrator.reading.Aside``); only
        # the contents and title kinds look at them
        self.asides = asides
        # the tables read out of the text (``narrator.reading.Table``): only the near-name kind reads their cells
        self.tables = tables
        self.placed: list[Finding] = []   # findings on asides, at their original place
        # how a message names the line of an offset of the text (review: the original page and line)
        self.line_name = line_name
        # each line is a whole paragraph (review's rebuilt text): the last line of a paragraph is
        # every line, not only one before a blank line or a heading
        self.paragraph_lines = paragraph_lines
        # an offset of the text → its place in the original (review: the page and line it was read from)
        self.place_of = place_of
        # whether the format's own wording is taken as standard (review: only of a format the
        # reviewer names; a document of another region is held to the national standard)
        self.format_wording = format_wording
        # views of the text that several rules read (the contents blocks …), made by the first one
        self.views: dict[str, Any] = {}

    def finding(self, rule: Any, offset: int, wording: str | None = None, **values: Any) -> Finding:
        """A finding of ``rule`` at ``offset`` of the document (in its other message ``wording``, a
        parameter such as ``message_many``, when given)."""
        line, column = self.doc.position(offset)
        return Finding(Location(self.doc.path, line, column), rule.level, rule.name, rule.say(wording, **values))

    def finding_at(self, rule: Any, spot: "int | tuple[Any, int]", **values: Any) -> Finding | None:
        """A finding at ``spot``: an offset of the text (returned), or (aside, index) — kept in
        :attr:`placed` at the aside's original place, and None returned."""
        if isinstance(spot, int):
            return self.finding(rule, spot, **values)
        aside, index = spot
        where = aside.location
        self.placed.append(Finding(Location(where.path, where.line, where.column + index, where.page),
                                   rule.level, rule.name, rule.say(**values)))
        return None

    def name_line(self, spot: "int | tuple[Any, int]") -> str:
        """A spot's line as a message names it (“第 12 行”, “第 3 页第 4 行”)."""
        if isinstance(spot, int):
            if self.line_name is not None:
                return self.line_name(spot)
            return f"第 {self.doc.position(spot)[0]} 行"
        where = spot[0].location
        return f"第 {where.page} 页第 {where.line} 行" if where.page else f"第 {where.line} 行"

    @property
    def year(self) -> int | None:
        """The budget year: from the figures when given, else from the title."""
        if self.reference is not None and self.reference.doc.year:
            return self.reference.doc.year
        return self.doc.year

    @cached_property
    def pairs(self) -> list[tuple[Token, Token]]:
        """Each token of the text with the token at the same key in the reference."""
        if self.reference is None:
            return []
        ref_tokens = self.reference.doc.tokens
        by_key = {t.key: t for t in ref_tokens}
        loose: dict[tuple, list[Token]] = {}
        for token in ref_tokens:
            loose.setdefault(token.loose_key, []).append(token)
        result = []
        for token in self.doc.tokens:
            match = by_key.get(token.key)
            if match is None:
                candidates = loose.get(token.loose_key, [])
                if candidates and all(c.value == candidates[0].value for c in candidates):
                    match = candidates[0]
            if match is not None:
                result.append((token, match))
        return result

    @cached_property
    def format_phrases(self) -> list[str]:
        """The literal pieces of the format's phrases and fixed texts, spaces removed (:func:`phrases_of`;
        those kept with the reference when the context has no format)."""
        if not self.format_wording:
            return []
        if self.fmt is None:
            return list(self.reference.phrases)
        return phrases_of(self.fmt)

    def source_text(self, ref: Token) -> str:
        """Where a reference token came from, for a message."""
        if self.reference is None:
            return ""
        source = self.reference.sources.get(ref.start)
        return source.describe() if source is not None else "按数据生成的文字"


def phrases_of(fmt: Any) -> list[str]:
    """The literal pieces of a format's phrases and fixed texts, spaces removed.

    Clause by clause: “增加0.00万元”, “增长0.00%” (xinjiang-2025's “三公” without change),
    “三公经费” (hebei-2021's glossary) — the format's own wording is its standard.
    """
    texts = [str(t) for cases in fmt.phrases.values() for t in cases.values()]
    texts += [t for t in _strings(fmt.options)]
    pieces = []
    for text in texts:
        for piece in re.split(r"\{\{.*?\}\}|\{%.*?%\}|\{\w+\}|[，。；：]", text):
            piece = re.sub(r"\s+", "", piece)
            if piece:
                pieces.append(piece)
    return pieces


def _strings(value: Any) -> list[str]:
    """Every string inside a format's options (strings, lists and mappings of them)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
