"""The clerk's draft (narrator.workflow.draft, behind the web page) writes exactly what the commands write:
typing a text into a field gives the figures file ``narrator import`` writes when the same text is
typed into the 说明 sheet of ``narrator form``'s workbook, and emptying a field takes the text out."""

from __future__ import annotations

import shutil
from pathlib import Path

from narrator.workflow.draft import record_parts, start_draft

from .conftest import FIXTURES, run
from .test_clerk_year import TYPED, type_into_notes

WORKBOOK = FIXTURES / "atushi-2025.xlsx"
PRIOR = FIXTURES / "atushi-2024.yaml"


def _desk(tmp_path: Path, runner) -> tuple[Path, Path, Path]:
    """The tables as received (a/预算.xlsx), and the same tables with the 说明 sheet filled in by hand
    (b/预算.xlsx) and imported (b/figures.yaml)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    received = tmp_path / "a" / "预算.xlsx"
    shutil.copy(WORKBOOK, received)
    imported = run(runner, "import", str(received), "--prior", str(PRIOR), "-o", str(tmp_path / "a" / "figures.yaml"))
    assert imported.exit_code == 0
    filled = tmp_path / "b" / "预算.xlsx"
    run(runner, "form", str(tmp_path / "a" / "figures.yaml"), "--workbook", str(received), "-o", str(filled))
    type_into_notes(filled, TYPED)
    imported = run(runner, "import", str(filled), "--prior", str(PRIOR), "-o", str(tmp_path / "b" / "figures.yaml"))
    assert imported.exit_code == 0
    return received, filled, tmp_path / "b" / "figures.yaml"


def test_typed_fields_give_the_figures_file_import_writes_from_the_filled_sheet(tmp_path: Path, runner) -> None:
    received, _, imported = _desk(tmp_path, runner)
    draft, findings = start_draft(received, PRIOR)
    assert findings == []
    assert {(f.table, f.key, f.label) for f in draft.fields if f.required} == set(TYPED)
    texts = {f.number: TYPED[(f.table, f.key, f.label)] for f in draft.fields if (f.table, f.key, f.label) in TYPED}
    assert draft.figures_text(texts) == imported.read_text(encoding="utf-8")
    preview = draft.preview(texts)
    assert not [f for f in preview.gate.findings if f.rule.startswith("missing-")]
    assert "主要原因是压减了接访中心运转和业务工作两个项目的经费。" in preview.markdown


def test_a_filled_sheet_fills_the_fields_and_an_emptied_field_leaves_the_figures(tmp_path: Path, runner) -> None:
    received, filled, imported = _desk(tmp_path, runner)
    draft, _ = start_draft(filled, PRIOR)
    typed = draft.initial_texts()
    assert {(f.table, f.key, f.label): typed[f.number] for f in draft.fields if f.number in typed} == TYPED
    assert draft.figures_text(typed) == imported.read_text(encoding="utf-8")
    assert draft.figures_text({}) == (tmp_path / "a" / "figures.yaml").read_text(encoding="utf-8")


def test_a_finding_about_a_text_names_its_field(tmp_path: Path) -> None:
    draft, _ = start_draft(WORKBOOK, PRIOR)
    first = draft.fields[0]
    assert (first.table, first.key, first.label) == ("表2", "一般公共预算拨款", "增减原因")
    assert first.records == ("income.general",)
    preview = draft.preview({first.number: "人员增加"}, full=False)
    about = {preview.findings[i].rule for i, n in preview.fields_of.items() if n == first.number}
    assert about == {"reason-direction"}
    assert preview.explained == [] and preview.lint == []


def test_record_paths_are_split_as_the_figures_locate_them() -> None:
    assert record_parts("functional[3]") == ("functional", 3)
    assert record_parts("income.general") == ("income", "general")
    assert record_parts("classes[201]") == ("classes", 201)
