"""One gate: check and render report the same findings, with the same exit code, for every
figures file of the test suite — the bad variants the other tests write, and the good files.

The bad variants are those of test_bad_input, test_check, test_classification_names,
test_formats_cli and test_templates (each an edit of an example), a few whole files, and the
files a format names or mismatches. (tests/corruptions.yaml corrupts the published text, not
figures: lint's concern, with no render to agree with.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from narrator.intake.figures import load_figures
from narrator.checks.gate import examine, examine_file

from .conftest import CASES, EXAMPLE, FIXTURES, ROOT, run

EXAMPLES = ROOT / "examples"
HEBEI, FINAL, PERFORMANCE = EXAMPLES / "hebei-2021.yaml", EXAMPLES / "final-accounts-2023.yaml", \
    EXAMPLES / "performance-2020.yaml"

# (name, example, [(old, new), …]): the same edits the other tests make to an example
EDITS = [
    ("unknown-key", EXAMPLE, [("  unit:\n    amount: 5.00", "  unti:\n    amount: 5.00")]),
    ("unknown-top-level-key", EXAMPLE, [("department: ", "departmnet: ")]),
    ("non-numeric-amount", EXAMPLE, [("    amount: 214.20", "    amount: 二百一十四")]),
    ("letters-in-by-source", EXAMPLE, [("basic: {general: 6.55}", "basic: {general: 6.5x}")]),
    ("code-not-in-classification", EXAMPLE, [('code: "2014004"          #', 'code: "2014005"          #')]),
    ("code-of-the-wrong-shape", EXAMPLE, [('code: "2014004"          #', 'code: "201404"          #')]),
    ("economic-code-unknown", EXAMPLE, [('"30201": 1.10', '"30250": 1.10')]),
    ("negative-amount", EXAMPLE, [("    prior: 254.85", "    prior: -254.85")]),
    ("missing-prior", EXAMPLE, [("    prior: 2.74\n", "")]),
    ("missing-priors", EXAMPLE, [("    prior: 2.74\n", ""), ("    prior: 1.99\n", "")]),
    ("empty-prior", EXAMPLE, [("    prior: 2.74\n", "    prior:\n")]),
    ("unknown-declared-total", EXAMPLE, [("  basic: 191.20 ", "  basci: 191.20 ")]),
    ("amount-with-comma", EXAMPLE, [("    amount: 214.20", '    amount: "1,095.72"')]),
    ("amount-dash", EXAMPLE, [("    amount: 214.20", '    amount: "—"')]),
    ("beyond-rounding", EXAMPLE, [('"210": 11.53        #', '"210": 11.60        #')]),
    ("sme-within-total", EXAMPLE, [("  sme_reserved: 31.70", "  sme_reserved: 40.00")]),
    ("procurement-total", EXAMPLE, [("  services: 6.45", "  services: 6.45\n  total: 35.00")]),
    ("carryover-items", EXAMPLE, [("    amount: 0.02\n", "    amount: 0.20\n")]),
    ("change-without-reason", EXAMPLE,
     [("    reason: 本年减少联合接访运转项目经费和业务工作项目经费\n  unit:", "  unit:")]),
    ("reason-direction", EXAMPLE, [("reason: 本年在职人员减少，住房公积金缴费减少", "reason: 住房公积金缴费基数提高，缴费增加")]),
    ("missing-reason", EXAMPLE, [("    reason: 此科目经费减少\n", "")]),
    ("missing-prior-for-a-check", EXAMPLE, [("    prior: 5.86\n", "")]),
    ("unlisted-code", EXAMPLE, [
        ("functional:\n", 'names:\n  "22960": 彩票公益金安排的支出\nfunctional:\n  - code: "2296097"\n'
                          "    name: 用于某某事业的彩票公益金支出\n    project: {fund: 12.00}\n    prior: 0\n"),
        ("income:\n", "income:\n  fund:\n    amount: 12.00\n    prior: 0\n    reason: 新增彩票公益金项目\n")]),
    ("unknown-code-unnamed", EXAMPLE, [("functional:\n", 'functional:\n  - code: "2349901"\n    name: 某某支出\n'
                                                      "    project: {general: 1.00}\n    prior: 0\n")]),
    ("classification-name", EXAMPLE, [('  - code: "2014004"          # 一般公共服务支出 / 信访事务 / 信访业务\n',
                                       '  - code: "2014004"          # 一般公共服务支出 / 信访事务 / 信访业务\n'
                                       "    name: 信访业物\n")]),
    ("outdated-name", EXAMPLE, [("functional:\n", 'names:\n  "210": 医疗卫生与计划生育支出\nfunctional:\n')]),
    ("names-key-not-a-code", EXAMPLE, [("functional:\n", "names:\n  信访: 信访事务\nfunctional:\n")]),
    ("missing-edition-file", EXAMPLE, [("region: 阿图什市", "classification: 没有的科目表.yaml\nregion: 阿图什市")]),
    ("unknown-format-named", EXAMPLE, [("basis: 上年预算 ", "format: xinjiang2025\nbasis: 上年预算 ")]),
    ("format-named", EXAMPLE, [("basis: 上年预算 ", "format: xinjiang-2025\nbasis: 上年预算 ")]),
    ("hebei-in-xinjiang", HEBEI, [("format: hebei-2021\n", "")]),
    ("hebei-without-prior", HEBEI, [("    prior: 303.18\n", "")]),
    ("performance-without-score", PERFORMANCE, [("weight: 5, score: 5}", "weight: 5}")]),
    ("final-accounts-bad-amount", FINAL, [("budget: 3.40", "budget: 三块四")]),
]

WHOLE = {
    "yaml-syntax": "department: 某局\nyear: 2025\nincome: [1\n",
    "tab-indentation": "department: 某局\nyear: 2025\nincome:\n\tgeneral: 1\n",
    "duplicate-key": "department: 某局\nyear: 2025\nyear: 2026\n",
    "not-a-mapping": "- 1\n- 2\n",
    "bad-year": "department: x\nyear: 2025\nincome: {general: {amount: abc}}\n",
    "fullwidth-colon": "department： 某局\nyear: 2025\n",
    "minimal": "department: 某局\nyear: 2025\n",
}


def _edited(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "figures.yaml"
    if name in WHOLE:
        path.write_text(WHOLE[name], encoding="utf-8")
        return path
    _, example, edits = next(edit for edit in EDITS if edit[0] == name)
    text = example.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)  # the first place, as the tests these edits come from
    path.write_text(text, encoding="utf-8")
    return path


FINDING = re.compile(r"^.+?:\d+:\d+: (?:错误|警告|提示) \S+ ")


def _findings(result) -> set[str]:
    return {line for line in (result.stdout + result.stderr).splitlines() if FINDING.match(line)}


def _agree(runner, path: Path, *options: str) -> tuple[int, set[str]]:
    """Run check and render on ``path``; assert they agree; return the exit code and findings."""
    checked = run(runner, "check", str(path), *options)
    rendered = run(runner, "render", str(path), *options)
    assert "Traceback" not in checked.output + rendered.output
    assert checked.exit_code == rendered.exit_code, (checked.output, rendered.output)
    assert _findings(checked) == _findings(rendered)
    assert (rendered.stdout == "") == (rendered.exit_code == 2)  # the text is written unless blocked
    return checked.exit_code, _findings(checked)


@pytest.mark.parametrize("name", [e[0] for e in EDITS] + list(WHOLE))
def test_check_and_render_agree_on_every_bad_file(runner, tmp_path, name: str) -> None:
    path = _edited(tmp_path, name)
    code, findings = _agree(runner, path)
    assert findings  # each of these files has something to say
    assert _agree(runner, path, "--fail-on", "error")[1] == findings


GOOD = sorted(EXAMPLES.glob("*.yaml")) + sorted(CASES.glob("*/figures.yaml")) + \
    [FIXTURES / "atushi-2024.yaml", FIXTURES / "atushi-2025.imported.yaml"]


@pytest.mark.parametrize("path", GOOD, ids=[p.relative_to(ROOT).as_posix() for p in GOOD])
def test_check_and_render_agree_on_every_figures_file(runner, path: Path) -> None:
    named = path.parent / "format"
    options = ("-f", named.read_text(encoding="utf-8").strip()) if named.is_file() else ()
    for fail_on in ("note", "warning", "error"):
        _agree(runner, path, *options, "--fail-on", fail_on)


def test_a_missing_file_is_bad_input_to_both(runner, tmp_path) -> None:
    code, findings = _agree(runner, tmp_path / "nope.yaml")
    assert code == 2 and findings == {f"{tmp_path / 'nope.yaml'}:0:0: 错误 file-unreadable 找不到文件"}


def test_missing_prior_is_an_error_in_both_and_blocks_the_text(runner, tmp_path) -> None:
    code, findings = _agree(runner, _edited(tmp_path, "missing-prior"))
    assert code == 2
    assert [f.split(" ", 1)[1] for f in findings if " 错误 " in f] == [
        "错误 missing-prior 缺少上年数 functional[3].prior（2080501 行政单位离退休）：说明文字要与上年比较"
        "（规则 functional.*.change），请填写 prior；上年没有则填 0"]
    # the checks that need no prior are still made: the two 尾差 of the example are reported
    assert {f.split(" ")[2] for f in findings} == {"missing-prior", "insufficient-data", "class-total", "basic-total"}


def test_a_missing_reason_is_reported_once_by_both(runner, tmp_path) -> None:
    code, findings = _agree(runner, _edited(tmp_path, "missing-reason"))
    assert code == 1
    assert sorted(f.split(" ")[1:3] for f in findings if " 警告 " in f) == [["警告", "missing-reason"]]


def test_the_fail_on_level_sets_the_exit_code_of_both(runner, tmp_path) -> None:
    path = _edited(tmp_path, "missing-reason")  # a warning and two notes
    assert [_agree(runner, path, "--fail-on", level)[0] for level in ("note", "warning", "error")] == [1, 1, 0]
    assert [_agree(runner, EXAMPLE, "--fail-on", level)[0] for level in ("note", "warning", "error")] == [1, 0, 0]


def test_the_library_gate_is_what_both_commands_show(tmp_path) -> None:
    path = _edited(tmp_path, "missing-prior")
    gate = examine_file(path)
    assert gate.blocked and gate.exit_code() == 2 and gate.format.name == "xinjiang-2025"
    assert [f.rule for f in gate.findings if f.level == "error"] == ["missing-prior"]
    good = examine(load_figures(EXAMPLE))
    assert not good.blocked and good.rendered.text == (CASES / "atushi-2025" / "expected.md").read_text(encoding="utf-8")
    assert [f.rule for f in good.findings] == ["class-total", "basic-total"]
    assert good.exit_code("note") == 1 and good.exit_code("warning") == 0
