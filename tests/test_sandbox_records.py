"""Templates read records through the sandbox's shortcut with the same results as without it."""

from __future__ import annotations

from decimal import Decimal

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment

from narrator.text.environment import FILTERS, MissingValue, environment
from narrator.errors import Location
from narrator.intake.records import Record

RECORD = Record({"amount": Decimal("1.50"), "name": "甲", "missing": None}, "income.general", Location("f.yaml", 3, 1))
PLAIN = SandboxedEnvironment(undefined=MissingValue)
PLAIN.filters.update(FILTERS)


@pytest.mark.parametrize("source", [
    "{{ r.amount|money }}", "{{ r.name }}", "{{ r.get('name') }}", "{{ r.missing is none }}",
    "{{ r.path }}", "{{ r['amount'] }}",
])
def test_same_values_as_the_plain_sandbox(source: str) -> None:
    assert environment().from_string(source).render(r=RECORD) == PLAIN.from_string(source).render(r=RECORD)


def test_unknown_names_are_still_undefined_with_the_figure_named() -> None:
    with pytest.raises(jinja2.UndefinedError, match="缺少数据 “income.general.nothing”"):
        environment().from_string("{{ r.nothing }}").render(r=RECORD)


@pytest.mark.parametrize("source", ["{{ r._fields }}", "{{ r.__class__ }}", "{{ r.get.__func__ }}"])
def test_private_names_are_still_refused(source: str) -> None:
    with pytest.raises(jinja2.exceptions.SecurityError):
        environment().from_string(source).render(r=RECORD)
