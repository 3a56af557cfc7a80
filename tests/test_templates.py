"""Template failures name the missing figure and the template line; formats are data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from narrator.text import environment as environment_module
from narrator.text import formats as formats_module
from narrator import resources
from narrator.errors import TemplateError
from narrator.text.render import render_file

from .conftest import EXAMPLE, ROOT, run


def _clear_caches() -> None:
    resources.templates_dirs.cache_clear()
    environment_module.environment.cache_clear()
    formats_module.load_format.cache_clear()
    formats_module._compile_phrases.cache_clear()


@pytest.fixture
def extra_formats(tmp_path, monkeypatch):
    """A templates folder of the test's own, searched before the project's."""
    monkeypatch.setenv("NARRATOR_TEMPLATES", str(tmp_path))
    _clear_caches()
    yield tmp_path
    monkeypatch.delenv("NARRATOR_TEMPLATES")
    _clear_caches()


def make_format(root: Path, name: str, section: str) -> None:
    folder = root / name
    shutil.copytree(ROOT / "templates" / "xinjiang-2025", folder)
    text = (folder / "format.yaml").read_text(encoding="utf-8").replace("name: xinjiang-2025", f"name: {name}")
    (folder / "format.yaml").write_text(text, encoding="utf-8")
    (folder / "sections" / "01-overview.md.j2").write_text(section, encoding="utf-8")


def test_a_missing_figure_names_the_figure_and_the_template_line(extra_formats) -> None:
    make_format(extra_formats, "broken", "## 一、总体\n\n收入{{ income.genral.amount|money }}万元。\n")
    with pytest.raises(TemplateError) as caught:
        render_file(EXAMPLE, "broken")
    [finding] = caught.value.findings
    assert finding.rule == "missing-figure"
    assert finding.message == "缺少数据 “income.genral”（模板用到了它）"
    assert finding.location.path.endswith("broken/sections/01-overview.md.j2")
    assert finding.location.line == 3


def test_a_none_value_never_reaches_the_text(extra_formats) -> None:
    make_format(extra_formats, "nones", "## 一\n\n原因：{{ income.special.reason }}。\n")
    with pytest.raises(TemplateError) as caught:
        render_file(EXAMPLE, "nones")
    [finding] = caught.value.findings
    assert finding.message == "要写入文字的值为空（None）"
    assert finding.location.line == 3


def test_a_percentage_of_nothing_is_an_error_not_a_number(extra_formats) -> None:
    make_format(extra_formats, "zero-base", "## 一\n\n{{ three_public.abroad.growth|percent }}\n")
    with pytest.raises(TemplateError) as caught:
        render_file(EXAMPLE, "zero-base")
    assert caught.value.findings[0].message == "百分比无法计算（上年为零，或合计为零）"


def test_templates_cannot_reach_python_internals(extra_formats) -> None:
    make_format(extra_formats, "sneaky", "{{ income.__class__.__mro__ }}{{ ''.__class__.__subclasses__() }}\n")
    with pytest.raises(TemplateError) as caught:
        render_file(EXAMPLE, "sneaky")
    assert caught.value.findings[0].rule in ("template-unsafe", "missing-figure")


def test_a_new_format_is_a_folder_and_needs_no_code(extra_formats, runner) -> None:
    make_format(extra_formats, "my-region", "## {{ number|cn }}、概况\n\n{{ department }}收入{{ income_total|money }}万元。\n")
    result = run(runner, "formats")
    assert "my-region\t" in result.stdout and "xinjiang-2025\t" in result.stdout
    result = run(runner, "render", str(EXAMPLE), "--doc-format", "my-region", "--fail-on", "warning")
    assert result.exit_code == 0
    assert "## 一、概况\n\n阿图什市信访局收入222.22万元。\n" in result.stdout


def test_missing_reason_is_left_out_and_warned_about(tmp_path, runner) -> None:
    original = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "figures.yaml"
    path.write_text(original.replace("    reason: 此科目经费减少\n", ""), encoding="utf-8")
    result = run(runner, "render", str(path))
    assert result.exit_code == 1
    assert "信访业务（项）：2025年预算数为163.63万元，比上年预算减少10.76万元，下降6.17%。" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if " 警告 " in line]
    assert warnings == [f"{path}:61:5: 警告 missing-reason functional[1].reason（2014004 信访业务）：缺少增减变化的主要原因"
                        "（由人填写，工具不代写），文中已略去"]  # once: the check's change-without-reason is the same


def test_a_missing_text_names_the_project_or_item_it_belongs_to(tmp_path, runner) -> None:
    """projects[0] means nothing to a clerk: the warning names the project (and a 项 its code)."""
    original = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "figures.yaml"
    path.write_text(original.replace("    basis: 根据《阿图什市信访局党组会议》(阿信党组会纪〔2024〕8 号)\n", "", 1)
                    .replace("    purpose: 第一书记工作经费\n", "", 1), encoding="utf-8")
    result = run(runner, "check", str(path))
    assert [line.split(" 警告 ", 1)[1].split("：缺少", 1)[0] for line in result.stdout.splitlines() if " 警告 " in line] == [
        "missing-basis projects[0].basis（信访业务工作经费）",
        "missing-purpose carryover[1].purpose（克财预〔2024〕12 号：2024 年第一书记工作经费）"]
