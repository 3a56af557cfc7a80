"""Which written texts a format's document asks for, found by rendering it once.

The templates ask for every text a person writes through ``want(record, field, what, required)``
(a reason is required when the amount changed, not when it stayed the same). Rendering the
figures with a recorder in place of the usual collector tells, for the format at hand, exactly
which rows of the 说明 sheet the text will use and which it cannot do without — the same rule
the render applies when it warns about a missing reason, so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..compute.engine import RuleFailed
from ..text.environment import template_error
from ..errors import NarratorError
from ..compute.expr import MissingFigure
from ..intake.figures import LoadedFigures
from ..text.formats import load_format
from ..intake.records import Record
from ..text.render import context_for, evaluate


@dataclass
class Wanted:
    """The texts a render asked for — (record path, field) → required — and the records' amounts."""

    asked: dict[tuple[str, str], bool] = field(default_factory=dict)
    records: dict[str, Any] = field(default_factory=dict)

    def required(self, records: tuple[str, ...], field_name: str) -> bool:
        return any(self.asked.get((r, field_name)) for r in records)

    def used(self, records: tuple[str, ...], field_name: str) -> bool:
        return any((r, field_name) in self.asked for r in records)

    def amounts(self, record: str) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """This year's amount, last year's and the change of a record the text mentions."""
        found = self.records.get(record)
        if found is None:
            return None, None, None
        if record.startswith("classes["):
            return _attr(found, "general"), None, None
        return _attr(found, "amount"), _attr(found, "prior"), _attr(found, "change")


def _attr(record: Any, name: str) -> Decimal | None:
    try:
        value = getattr(record, name)
    except (MissingFigure, RuleFailed, AttributeError, KeyError):
        return None
    return value if isinstance(value, Decimal) else None


class _Recorder:
    """Stands in for the render's ``want``: notes what was asked and returns what is there."""

    def __init__(self, wanted: Wanted) -> None:
        self.wanted = wanted

    def __call__(self, record: Any, field_name: str, what: str, required: bool = True) -> str:
        path = getattr(record, "path", None)
        if isinstance(path, str):
            key = (path, field_name)
            self.wanted.asked[key] = self.wanted.asked.get(key, False) or bool(required)
            self.wanted.records.setdefault(path, record)
        value = record.get(field_name) if isinstance(record, (Record, dict)) else None
        return str(value) if value else ""


def wanted_texts(loaded: LoadedFigures, format_name: str) -> Wanted:
    """Render the figures in a format and record the texts it asks for.

    Raises :class:`NarratorError` when the figures cannot be rendered (a prior is missing …).
    """
    fmt = load_format(format_name)
    engine = evaluate(loaded, fmt)
    wanted = Wanted()
    context = context_for(engine, loaded, fmt, _Recorder(wanted))  # type: ignore[arg-type]
    try:
        fmt.environment.get_template(fmt.template_name(fmt.document)).render(context)
    except NarratorError:
        raise
    except Exception as exc:  # noqa: BLE001 - as in render: a template failure is reported with its line
        raise template_error(exc) from None
    for record in engine.scalar_values().get("general_classes") or []:
        wanted.records[f"classes[{record.code}]"] = record
    return wanted
