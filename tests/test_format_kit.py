"""The format author's kit: every data file a format author writes is checked whole, with its line.

Broken copies of each kind of file — format.yaml, a rule set, a checks file, a lint rule — get exit 2
(or a RuleError) and a located Chinese message naming the key, with a did-you-mean for a near miss.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrator.cli import app
from narrator.errors import NarratorError, RuleError
from narrator.text.formatcheck import check_folder
from narrator.lint.kinds import KINDS
from narrator.lint.rules import lint_rule_problems
from narrator.shapes import problems, shapes
from narrator.loading.yamlload import load_yaml_text

ROOT = Path(__file__).parent.parent


def _messages(found) -> list[str]:
    return [f"{f.location.line}:{f.rule}:{f.message}" for f in found]


def test_every_built_in_format_passes_the_check(runner: CliRunner) -> None:
    assert check_folder(ROOT / "templates") == []
    result = runner.invoke(app, ["formats", "--check", str(ROOT / "templates" / "hebei-2021")])
    assert result.exit_code == 0 and result.output.endswith("hebei-2021：格式检查通过\n")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the xinjiang-2025 format with one mistake of each kind a format author makes."""
    folder = tmp_path / "formats" / "mine"
    shutil.copytree(ROOT / "templates" / "xinjiang-2025", folder)
    path = folder / "format.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in [("name: xinjiang-2025", "name: mine"),
                     ("rules: [budget]", "rules: [budget]\nrule_setings: {}\nrule_settings: {fiscal_source: []}\noption: {}"),
                     ("    same: 与{{ basis }}持平\n", "    sme: 与{{ basis }}持平\n")]:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    (folder / "sections" / "13-extra.md.j2").write_text("第十三节{% if x %}\n", encoding="utf-8")
    return folder


def test_a_broken_format_gets_every_problem_at_once(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(app, ["formats", "--check", str(broken.parent)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    shown = str(broken / "format.yaml")
    assert f"{shown}:8:1: 错误 bad-format 格式 mine 的 format.yaml：未知的键 “rule_setings”，是否想写 “rule_settings”？" in lines
    assert f"{shown}:10:1: 错误 bad-format 格式 mine 的 format.yaml：未知的键 “option”，是否想写 “options”？" in lines
    assert (f"{shown}:9:17: 错误 bad-format 格式 mine 的 format.yaml：rule_settings.fiscal_source：规则集 budget 中"
            "没有这项设置，是否想写 “fiscal_sources”？") in lines
    assert any(line.startswith(f"{shown}:") and "phrases.change.sme：trend 没有 “sme” 这种情形，是否想写 “same”？" in line
               for line in lines)
    assert any("phrases.change 缺少 same 情形的写法" in line for line in lines)
    assert any(line.startswith(str(broken / "sections" / "13-extra.md.j2") + ":1:") and "template-syntax" in line
               for line in lines)
    assert "Traceback" not in result.output


def test_a_broken_user_format_is_refused_before_rendering(runner: CliRunner, broken: Path, monkeypatch) -> None:
    from narrator.text import environment as environment_module
    from narrator.text import formats as formats_module
    from narrator import resources

    def clear() -> None:
        resources.templates_dirs.cache_clear()
        environment_module.environment.cache_clear()
        formats_module.load_format.cache_clear()
        formats_module._compile_phrases.cache_clear()

    monkeypatch.setenv("NARRATOR_TEMPLATES", str(broken.parent))
    clear()
    try:
        out = broken.parent / "out.md"
        result = runner.invoke(app, ["render", str(ROOT / "examples" / "atushi-2025.yaml"), "-f", "mine",
                                     "-o", str(out)])
        assert result.exit_code == 2 and not out.exists()
        assert "未知的键 “option”，是否想写 “options”？" in result.output
        assert "phrases.change.sme" in result.output
    finally:
        monkeypatch.delenv("NARRATOR_TEMPLATES")
        clear()


def test_a_folder_without_formats_is_said_so(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["formats", "--check", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == f"{tmp_path}:0:0: 错误 no-format 此文件夹及其下一层都没有 format.yaml，不是格式文件夹\n"


def test_format_types_are_checked_not_coerced() -> None:
    data = load_yaml_text("name: x\ndescription: d\nrules: budget\nsections: [a.md.j2, 3]\n", "x/format.yaml")
    assert _messages(problems(data, "format", "x/format.yaml", "bad-format")) == [
        "3:bad-format:rules 应为文字的列表，写的是 “budget”",   # tuple("budget") would be six rule sets
        "4:bad-format:sections[2] 应为文字，写的是 “3”",
    ]


def test_a_lint_rule_with_a_misspelt_parameter_says_which() -> None:
    text = "name: my-rule\nlevel: warn\nkind: existence\nmessage: m\npattern: ['增加（减少）']\n"
    found = lint_rule_problems(load_yaml_text(text, "my-rule.yaml"), "rules/lint/my-rule.yaml", "my-rule")
    assert _messages(found) == [
        "2:bad-lint-rule:规则 my-rule：level 的值 “warn” 不在可选值 error、warning、note 中，是否想写 “warning”？",
        "5:bad-lint-rule:规则 my-rule：未知的键 “pattern”，是否想写 “patterns”？",
        "1:bad-lint-rule:规则 my-rule：缺少 patterns（不应出现的写法（正则））",
    ]


def test_a_lint_rule_of_an_unknown_kind_and_a_wrong_name() -> None:
    text = "name: other\nlevel: error\nkind: existance\nmessage: m\npatterns: [x]\n"
    found = lint_rule_problems(load_yaml_text(text, "r.yaml"), "rules/lint/r.yaml", "r")
    assert [f.message.split("，")[0] for f in found] == ["规则 r：未知的 kind “existance”", "规则 r：name 应与文件名相同：r"]


def test_a_broken_lint_rule_file_stops_lint_with_its_line(tmp_path: Path, monkeypatch) -> None:
    from narrator.lint import rules as lint_rules

    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    (folder / "lint" / "doubled-word.yaml").write_text(
        (folder / "lint" / "doubled-word.yaml").read_text(encoding="utf-8") + "per_lines: true\n", encoding="utf-8")
    monkeypatch.setattr(lint_rules, "rules_dir", lambda: folder)
    lint_rules.load_lint_rules.cache_clear()
    try:
        with pytest.raises(RuleError) as error:
            lint_rules.load_lint_rules()
        [finding] = error.value.findings
        assert finding.location.path == "rules/lint/doubled-word.yaml" and finding.location.line > 1
        assert finding.message.endswith("未知的键 “per_lines”，是否想写 “per_line”？")
    finally:
        lint_rules.load_lint_rules.cache_clear()


def test_a_broken_checks_file_names_the_check_and_key(tmp_path: Path, monkeypatch) -> None:
    from narrator.checks import check as check_module

    folder = tmp_path / "rules"
    (folder / "checks").mkdir(parents=True)
    (folder / "checks" / "checks.yaml").write_text(
        "checks:\n  - name: a\n    kind: sums\n    totl: x\n  - name: b\n    kind: equal\n    left: 1\n    right: 1\n",
        encoding="utf-8")
    monkeypatch.setattr(check_module, "rules_dir", lambda: folder)
    check_module.load_checks.cache_clear()
    try:
        with pytest.raises(RuleError) as error:
            check_module.load_checks(("budget",))
    finally:
        check_module.load_checks.cache_clear()
    assert _messages(error.value.findings) == [
        "3:bad-check:checks[1].kind 的值 “sums” 不在可选值 sum、equal、expect 中，是否想写 “sum”？",
        "4:bad-check:未知的键 “checks[1].totl”，是否想写 “total”？",
    ]


def test_a_broken_rule_set_names_the_key(tmp_path: Path) -> None:
    from narrator.compute.rules import load_rule_sets

    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\nsetings: {a: 1}\nrules:\n  total:\n    expr: 1\n    lable: 合计\n", encoding="utf-8")
    with pytest.raises(NarratorError) as error:
        load_rule_sets((str(path),))
    assert _messages(error.value.findings) == [
        "2:bad-rule-set:规则集 mine：未知的键 “setings”，是否想写 “settings”？",
        "6:bad-rule-set:规则集 mine：未知的键 “rules.total.lable”，是否想写 “label”？",
    ]


def test_every_lint_kind_declares_its_fields_and_every_declared_kind_exists() -> None:
    assert set(shapes()["lint-kinds"]) == set(KINDS)
    for kind, fields in shapes()["lint-kinds"].items():
        for name, spec in fields.items():
            assert spec.get("doc"), f"{kind}.{name} has no description"


# -- narrator format new ---------------------------------------------------------------------------

def test_format_new_copies_a_format_with_a_golden_case_that_passes(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["format", "new", "my-region", "--from", "hebei-2021", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "my-region"
    assert result.output.startswith(f"已建立格式 my-region：{folder}（")
    assert "name: my-region\n" in (folder / "format.yaml").read_text(encoding="utf-8")
    assert (folder / "README.md").read_text(encoding="utf-8").startswith("# my-region — ")
    figures = (folder / "tests" / "example" / "figures.yaml").read_text(encoding="utf-8")
    assert "format: my-region\n" in figures and "format: hebei-2021" not in figures
    expected = (folder / "tests" / "example" / "expected.md").read_text(encoding="utf-8")
    assert expected == runner.invoke(app, ["render", str(ROOT / "examples" / "hebei-2021.yaml")]).stdout
    assert [p.name for p in tmp_path.iterdir()] == ["my-region"]  # nothing staged is left behind
    checked = runner.invoke(app, ["formats", "--check", str(folder)])
    assert checked.exit_code == 0 and checked.output == f"{folder}：格式检查通过\n"


def test_a_changed_template_shows_the_first_sentence_that_moved(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["format", "new", "mine", "--from", "xinjiang-2025", "-o", str(tmp_path)]).exit_code == 0
    section = tmp_path / "mine" / "sections" / "01-overview.md.j2"
    section.write_text(section.read_text(encoding="utf-8").replace("收支总预算", "收支预算总额", 1), encoding="utf-8")
    result = runner.invoke(app, ["formats", "--check", str(tmp_path)])
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith(f"{tmp_path / 'mine' / 'tests' / 'example' / 'expected.md'}:5:1: 错误 golden-mismatch ")
    assert "应为 “按照全口径预算的原则" in line and "生成的是 “" in line and "收支预算总额222.22万元。”" in line


@pytest.mark.parametrize(("args", "message"), [
    (["Bad_Name", "--from", "hebei-2021"], "错误 bad-format-name 格式名只用小写字母、数字和连字符"),
    (["hebei-2021", "--from", "xinjiang-2025"], "错误 format-exists 已有名为 “hebei-2021” 的格式"),
    (["x", "--from", "nope"], "“nope” 不是可用的格式；可选：final-accounts、hebei-2021"),
])
def test_format_new_refuses_bad_names(runner: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["format", "new", *args, "-o", str(tmp_path)])
    assert result.exit_code == 2 and message in result.output
    assert list(tmp_path.iterdir()) == []


def test_format_new_never_replaces_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["format", "new", "mine", "--from", "hebei-2021", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "file-exists 文件夹已存在" in result.output
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["keep.txt"]


# -- docs/formats.md is enough to write a format ---------------------------------------------------

DOC = ROOT / "docs" / "formats.md"
_BLOCK = re.compile(r"<!-- (file: (?P<file>[\w./-]+)|output) -->\n```\w*\n(?P<body>.*?)```\n", re.DOTALL)


def test_the_worked_example_of_the_format_reference_renders_as_it_says(runner: CliRunner, tmp_path: Path,
                                                                       monkeypatch) -> None:
    from narrator.text.formats import templates_added

    blocks = list(_BLOCK.finditer(DOC.read_text(encoding="utf-8")))
    files = {m.group("file"): m.group("body") for m in blocks if m.group("file")}
    [output] = [m.group("body") for m in blocks if not m.group("file")]
    assert set(files) == {"mini/format.yaml", "mini/document.md.j2", "mini/sections/01-income.md.j2"}
    formats = tmp_path / "formats"
    for name, body in files.items():
        (formats / name).parent.mkdir(parents=True, exist_ok=True)
        (formats / name).write_text(body, encoding="utf-8")
    checked = runner.invoke(app, ["formats", "--check", str(formats)])
    assert checked.exit_code == 0, checked.output
    with templates_added(formats):
        result = runner.invoke(app, ["render", str(ROOT / "examples" / "atushi-2025.yaml"), "-f", "mini"])
    assert result.exit_code == 0, result.output
    assert result.stdout == output


def test_the_format_reference_names_every_key_filter_and_function() -> None:
    from narrator.text.environment import FILTERS
    from narrator.compute.functions import FUNCTIONS
    from narrator.compute.rules import ENGINE_FUNCTIONS

    text = DOC.read_text(encoding="utf-8")
    for key in shapes()["format"]["keys"]:
        assert f"| `{key}` |" in text, key
    for name in FILTERS:
        assert f"| `{name}` |" in text, name
    functions = re.search(r"the functions `([^`]+)` plus the engine's `([^`]+)`", text.replace("\n", " "))
    assert functions and set(functions.group(1).split()) == set(FUNCTIONS)
    assert set(functions.group(2).split()) == set(ENGINE_FUNCTIONS)
    for call in ("label(context, key)", "phrase(group, record[, case])", "want(record, field, what[, required])"):
        assert f"| `{call}` |" in text
    shared = (ROOT / "templates" / "_shared" / "phrases.md.j2").read_text(encoding="utf-8")
    for macro in re.findall(r"macro (\w+)\(", shared):
        assert f"`p.{macro}(" in text, macro


def test_a_broken_workbook_layout_names_the_key(runner: CliRunner, tmp_path: Path) -> None:
    layout = tmp_path / "layout.yaml"
    text = (ROOT / "rules" / "workbook-layouts" / "xinjiang-2025.yaml").read_text(encoding="utf-8")
    assert "\ntables:\n" in text and "    kind: functional\n" in text
    layout.write_text(text.replace("\ntables:\n", "\ntabels:\n").replace("    kind: functional\n", "    kind: function\n", 1),
                      encoding="utf-8")
    result = runner.invoke(app, ["import", str(ROOT / "tests" / "fixtures" / "atushi-2025.xlsx"), "--layout", str(layout)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if " bad-layout " in line]
    line_of = {n for n, t in enumerate(layout.read_text(encoding="utf-8").splitlines(), 1) if t == "tabels:"}
    assert lines == [f"{layout}:{line_of.pop()}:1: 错误 bad-layout 版式：未知的键 “tabels”，是否想写 “tables”？",
                     f"{layout}:17:1: 错误 bad-layout 版式：缺少 tables（各表，键是表的角色）"]
    layout.write_text(text.replace("    kind: functional\n", "    kind: function\n", 1), encoding="utf-8")
    result = runner.invoke(app, ["import", str(ROOT / "tests" / "fixtures" / "atushi-2025.xlsx"), "--layout", str(layout)])
    assert result.exit_code == 2 and "kind 的值 “function” 不在可选值 functional、economic、labelled、named、sides、row 中，" \
        "是否想写 “functional”？" in result.output
