"""Rendering: figures → rules → templates → the 第三部分 text (Markdown), plus warnings.

The library API behind ``narrator render``. The text is produced as Markdown (headings with
``#``, paragraphs separated by blank lines); :mod:`narrator.document.output` turns it into the file
type asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..compute.engine import Engine
from .environment import builtin_environment, template_error
from ..errors import Finding, Location, NarratorError
from ..intake.figures import LoadedFigures, for_format, load_figures
from .formats import Format, choose_format, load_format
from ..intake.records import Record, build_roots
from ..compute.rules import load_rule_sets
from .lean import render_lean
from .leanphrase import phrase_function as lean_phrase
from .trace import RECORDER, Source, fact_tracer, trace_roots, traced


@dataclass
class Rendered:
    """A rendered text with the engine that computed its numbers and the render's warnings."""

    text: str
    engine: Engine
    figures: LoadedFigures
    format: Format
    warnings: list[Finding] = field(default_factory=list)


def evaluate(loaded: LoadedFigures, fmt: Format, trace: bool = False) -> Engine:
    """Evaluate the format's rule sets on validated figures (raises on missing figures).

    With ``trace``, every figure and rule value carries its source (see :mod:`narrator.text.trace`).
    """
    ruleset = load_rule_sets(fmt.rules, fmt.rule_settings)
    roots = build_roots(loaded)
    if trace:
        trace_roots(roots, loaded)
    engine = Engine(ruleset, roots, loaded.model.year, fact_tracer if trace else None, loaded.naming)
    return engine.evaluate_all()


class _Wants:
    """Collects the human-written texts (reasons, purposes) a template wanted but did not get."""

    def __init__(self, figures: LoadedFigures) -> None:
        self.figures = figures
        self.warnings: list[Finding] = []

    def __call__(self, record: Any, field_name: str, what: str, required: bool = True) -> str:
        """The text of ``record.field_name``; if it is missing and ``required``, a warning."""
        if record.__class__ is Record and field_name in record._fields and field_name not in record._rules \
                and field_name not in record._values:
            value = record._fields[field_name]  # a text written in the figures, as Record.get reads it
        else:
            value = record.get(field_name) if isinstance(record, (Record, dict)) else None
        if value:
            return value if isinstance(value, str) else str(value)  # keeps a traced text's source
        if not required:
            return ""
        location = record.location if isinstance(record, Record) else Location(self.figures.path)
        name = f"{record.path}.{field_name}" if isinstance(record, Record) else field_name
        if isinstance(record, Record):  # functional[4] means nothing to a clerk; its code and name do
            label = [record.get("code", "")] if record.path.startswith("functional") else []
            label.append(record.get("name", ""))
            shown = " ".join(str(part) for part in label if part)
            name += f"（{shown}）" if shown else ""
        self.warnings.append(Finding(location, "warning", f"missing-{field_name}",
                                     f"{name}：缺少{what}（由人填写，工具不代写），文中已略去"))
        return ""


def _phrase_function(fmt: Format, shared: dict[str, Any], trace: bool = False) -> Any:
    """``phrase(group, record)``: the format's wording for the record's case (its ``trend``)."""
    compiled = fmt.compiled_phrases
    where = Location(f"templates/{fmt.folder.name}/format.yaml")

    def phrase(group: str, record: Any, case: str | None = None) -> str:
        key = (group, case or record.trend)
        compiled_phrase = compiled.get(key)
        if compiled_phrase is None:
            raise jinja2.UndefinedError(f"格式 {fmt.name} 的 phrases.{key[0]} 中没有 “{key[1]}” 的写法")
        text = compiled_phrase.render(shared, record, trace)
        if trace:  # the phrase (and so its direction words) was chosen by the record's trend
            owner = getattr(record, "path", "")
            return traced(text, Source("phrase", f"{key[0]}.{key[1]}", where, owner,
                                       (("format", fmt.name), ("trend", str(key[1])))))
        return text
    return phrase


def context_for(engine: Engine, loaded: LoadedFigures, fmt: Format, wants: _Wants,
                trace: bool = False, lean: bool = False) -> dict[str, Any]:
    """Everything a template sees: figures, rule values, the format's labels and options
    (``lean``: with the fast render's ``phrase``, :mod:`narrator.text.lean`)."""
    context: dict[str, Any] = dict(engine.roots)
    context.update(engine.scalar_values())
    basis = loaded.model.basis
    shared = {"basis": basis, "year": context["year"]}
    context.update(
        settings=engine.settings,
        options=fmt.options,
        basis=basis,
        sections=_section_names(fmt),
        label=fmt.label,
        phrase=lean_phrase(fmt.compiled_phrases, shared) if lean else _phrase_function(fmt, shared, trace),
        want=wants,
    )
    return context


_SECTIONS: dict[tuple, list[str]] = {}


def _section_names(fmt: Format) -> list[str]:
    """The format's section templates by their loader names (a fresh list: a template may keep it)."""
    key = (fmt.folder, tuple(fmt.sections))
    names = _SECTIONS.get(key)
    if names is None:
        names = _SECTIONS[key] = [fmt.template_name(s) for s in fmt.sections]
    return list(names)


def render_engine(engine: Engine, loaded: LoadedFigures, fmt: Format, trace: bool = False) -> tuple[str, list[Finding]]:
    """The text of an evaluated engine in a format, and the texts its templates wanted but lacked.

    A built-in format, when nothing is explained, is rendered by :mod:`narrator.text.lean` (the
    same text, faster); if that fails in any way the usual render below says how, and where.
    """
    if not trace and RECORDER.get() is None and fmt.environment is builtin_environment():
        wants = _Wants(loaded)
        text = render_lean(fmt.template_name(fmt.document), context_for(engine, loaded, fmt, wants, lean=True))
        if text is not None:
            return tidy(text), wants.warnings
    wants = _Wants(loaded)
    context = context_for(engine, loaded, fmt, wants, trace)
    try:
        template = fmt.environment.get_template(fmt.template_name(fmt.document))
        text = template.render(context)
    except NarratorError:
        raise
    except Exception as exc:  # noqa: BLE001 - every template failure is reported with its line
        raise template_error(exc) from None
    return tidy(text), wants.warnings


def render_figures(loaded: LoadedFigures, format_name: str | None = None, trace: bool = False) -> Rendered:
    """Render validated figures in a format; raises :class:`NarratorError` on any problem.

    Without ``format_name``, the format the figures name (``format:``) or the default.
    With ``trace`` (used by :mod:`narrator.text.explain`) the text holds provenance markers that the
    current :data:`narrator.text.trace.RECORDER` can decode; never write such a text out as it is.
    """
    fmt = load_format(format_name or choose_format(None, loaded.raw, loaded.path))
    loaded = for_format(loaded, fmt.name)
    engine = evaluate(loaded, fmt, trace)
    text, wanted = render_engine(engine, loaded, fmt, trace)
    return Rendered(text, engine, loaded, fmt, [*loaded.notes, *wanted])


def render_file(path: Path | str, format_name: str | None = None) -> Rendered:
    """Load, validate and render a figures file (in ``format_name``, which must agree with the
    format the file names, if it names one)."""
    loaded = load_figures(path, format_name=format_name)
    return render_figures(loaded, loaded.format_name)


_BLANKS = re.compile(r"\n\n\n+")  # not \n{3,}: five times slower to scan for
_TRAILING = re.compile(r"[ \t]+\n")


def tidy(text: str) -> str:
    """One blank line between paragraphs, no trailing spaces, one final newline."""
    # scanning a whole text with these patterns costs more than rendering a section: a text
    # without what they replace (the usual case) is not scanned; a tab is looked for alone first
    # (texts have none, and one character is found five times faster than two)
    if " \n" in text or ("\t" in text and "\t\n" in text):
        text = _TRAILING.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANKS.sub("\n\n", text)
    return text.strip("\n") + "\n"
