"""Every bundled example in its format: explained in full, and lint-clean with its own figures."""

from __future__ import annotations

import pytest

from narrator.text.explain import explain_figures
from narrator.intake.figures import load_figures
from narrator.lint import lint_text
from narrator.document.output import convert
from narrator.text.render import render_figures


EXAMPLES = [
    ("examples/atushi-2025.yaml", "xinjiang-2025"),
    ("examples/hebei-2021.yaml", "hebei-2021"),
    ("examples/final-accounts-2023.yaml", "final-accounts"),
    ("examples/performance-2020.yaml", "performance-self-evaluation"),
    ("examples/shanghai-putuo-2024-final-accounts.yaml", "shanghai-final-accounts"),
]


@pytest.mark.parametrize(("figures", "fmt"), EXAMPLES)
def test_every_number_has_a_source(figures, fmt, in_root):
    _, items = explain_figures(load_figures(figures), fmt)
    assert items and [i.format() for i in items if i.source is None] == []


@pytest.mark.parametrize(("figures", "fmt"), EXAMPLES)
@pytest.mark.parametrize("kind", ["txt", "md"])
def test_rendered_text_lints_clean(figures, fmt, kind, in_root):
    loaded = load_figures(figures)
    text = convert(render_figures(loaded, fmt).text, kind, fmt)
    report = lint_text(text, f"rendered.{kind}", loaded, fmt)
    assert [f.format() for f in report.findings if f.level == "error"] == []
    assert report.tied == report.numbers
