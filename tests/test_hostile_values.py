"""Hostile values (issue 13, items 3 and 5): exact numbers, and text that stays text.

Every case runs the CLI on a figures file with one value changed and asserts the exact located
Chinese message, exit 2, no traceback, the input untouched and nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.errors import FiguresError
from narrator.loading.yamlload import load_yaml_text

from .conftest import EXAMPLE, run

ORIGINAL = EXAMPLE.read_text(encoding="utf-8")
AMOUNT = "    amount: 214.20"  # income.general.amount, line 23 column 5 of the example


def variant(tmp_path: Path, old: str, new: str) -> Path:
    assert ORIGINAL.count(old) == 1, old
    path = tmp_path / "figures.yaml"
    path.write_text(ORIGINAL.replace(old, new), encoding="utf-8")
    return path


def refused(runner, tmp_path: Path, path: Path, *command: str) -> list[str]:
    """The error lines of a refused command; asserts exit 2, no traceback, input kept, nothing written."""
    before = path.read_bytes()
    out = tmp_path / "out.md"
    result = run(runner, *command, str(path), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == before
    assert not out.exists()
    return [line for line in result.stderr.splitlines() if ": 错误 " in line]


@pytest.mark.parametrize("written, meaning", [
    ("010", "，YAML 会把它读作 8"),
    ("0x10", "，YAML 会把它读作 16"),
    ("3:34", "，YAML 会把它读作 214"),
    ("0b1", "，YAML 会把它读作 1"),
    ("1_000", "，YAML 会把它读作 1000"),
    (".inf", ""),
    ("-.inf", ""),
    (".nan", ""),
    ("!!float NaN", ""),
    ("!!int 0o17", "，YAML 会把它读作 15"),
    ("1.5e+3", ""),
])
def test_amounts_are_decimal_only(runner, tmp_path, written: str, meaning: str) -> None:
    path = variant(tmp_path, AMOUNT, f"    amount: {written}")
    shown = written.split()[-1]
    assert refused(runner, tmp_path, path, "render") == [
        f"{path}:23:13: 错误 number-form 金额只能写十进制数字：“{shown}” 不是十进制写法{meaning}"
        "（请写 214 或 214.20；要写文字请加引号）"]


def test_a_4301_digit_integer_is_refused_before_int_reads_it(runner, tmp_path) -> None:
    path = variant(tmp_path, AMOUNT, "    amount: " + "9" * 4301)
    assert refused(runner, tmp_path, path, "render") == [
        f"{path}:23:13: 错误 number-range 数字 “99999999999999999999…（共 4301 个字符）” 超出范围："
        "整数部分最多 16 位，小数最多 8 位"]


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_28_digit_prior_is_located(runner, tmp_path, command: str) -> None:
    path = variant(tmp_path, "    prior: 254.85", "    prior: 9999999999999999999999999999.99")
    before = path.read_bytes()
    result = run(runner, command, str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == before
    assert f"{path}:24:12: 错误 number-range 数字 “9999999999999999999999999999.99” 超出范围：" \
           "整数部分最多 16 位，小数最多 8 位" in result.stderr


@pytest.mark.parametrize("written, message", [
    ("1000000000000", "金额 “1000000000000” 过大：应小于 1,000,000,000,000（万亿）"),
    ('"99999999999999999999999999999999"', "金额 “99999999999999999999999999999999” 过大：应小于 1,000,000,000,000（万亿）"),
    ("1.123456789", None),  # nine decimals: the loader's bound
    ('"1.123456789"', "金额 “1.123456789” 的小数位数过多：最多 8 位"),
])
def test_magnitude_and_decimals_are_bounded(runner, tmp_path, written: str, message: str | None) -> None:
    path = variant(tmp_path, AMOUNT, f"    amount: {written}")
    [error] = refused(runner, tmp_path, path, "render")
    if message is None:
        assert error == f"{path}:23:13: 错误 number-range 数字 “1.123456789” 超出范围：整数部分最多 16 位，小数最多 8 位"
    else:
        assert error.startswith(f"{path}:23:5: 错误 ")
        assert error.endswith(f"income.general.amount：{message}"), error


def test_the_largest_accepted_amount_renders(runner, tmp_path) -> None:
    path = variant(tmp_path, AMOUNT, "    amount: 999999999999.99999999")
    result = run(runner, "render", str(path))
    assert "Traceback" not in result.output
    assert "一般公共预算1,000,000,000,000.00万元，占100.00%" in result.stdout


def test_decimal_amounts_still_load_exactly() -> None:
    tree = load_yaml_text("a: 214.20\nb: -3\nc: 0\nd: +7.\ne: .5\nf: 2014004\n", "f.yaml")
    assert [str(v) for v in tree.values()] == ["214.20", "-3", "0", "7", "0.5", "2014004"]


def test_a_merge_key_with_an_override_takes_the_later_key() -> None:
    tree = load_yaml_text("g: &g {amount: 1, prior: 2}\nx:\n  <<: *g\n  amount: 3\n", "f.yaml")
    assert tree["x"] == {"amount": 3, "prior": 2}
    assert tree["x"].key_marks["amount"] == (4, 3)


def test_merged_maps_listed_first_win_and_a_key_written_twice_is_still_refused() -> None:
    tree = load_yaml_text("a: &a {k: 1}\nb: &b {k: 2, j: 1}\nx:\n  <<: [*a, *b]\n  j: 5\n", "f.yaml")
    assert tree["x"] == {"k": 1, "j": 5}
    with pytest.raises(FiguresError) as caught:
        load_yaml_text("g: &g {amount: 1}\nx:\n  <<: *g\n  amount: 3\n  amount: 4\n", "f.yaml")
    assert caught.value.findings[0].format() == "f.yaml:5:3: 错误 yaml-syntax YAML 格式错误：键 “amount” 重复出现"


def test_a_merge_override_renders(runner, tmp_path) -> None:
    path = variant(tmp_path, "income:\n  general:\n    amount: 214.20\n    prior: 254.85",
                   "income:\n  general:\n    <<: &g {amount: 1.00, prior: 254.85}\n    amount: 214.20")
    result = run(runner, "render", str(path))
    assert result.exit_code in (0, 1), result.output
    assert "214.20" in result.stdout


PRIOR = "    prior: 254.85\n"
REASON = PRIOR + "    reason: 本年减少联合接访运转项目经费和业务工作项目经费"


@pytest.mark.parametrize("written, message", [
    ('"本年减少\\x07经费"', "文字中不能有控制字符或不成对的代理字符 \\x07（第 5 个字符）"),
    ('"本年\\ud800减少"', "文字中不能有控制字符或不成对的代理字符 \\ud800（第 3 个字符）"),
    ('"\\e[31m红字"', "文字中不能有控制字符或不成对的代理字符 \\x1b（第 1 个字符）"),
    ('"本年\\x9b减少"', "文字中不能有控制字符或不成对的代理字符 \\x9b（第 3 个字符）"),
])
@pytest.mark.parametrize("command", ["render", "check"])
def test_control_characters_in_text_are_refused_at_load(runner, tmp_path, written, message, command) -> None:
    path = variant(tmp_path, REASON, f"{PRIOR}    reason: {written}")
    result = run(runner, command, str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert [line for line in result.stderr.splitlines() if ": 错误 " in line] == [
        f"{path}:25:13: 错误 control-character {message}"]


def test_a_raw_escape_character_is_refused_with_its_column(runner, tmp_path) -> None:
    path = variant(tmp_path, REASON, PRIOR + "    reason: 本年\x1b[2J减少")
    # The decoder already refuses raw control bytes, at their line and column.
    [error] = refused(runner, tmp_path, path, "render")
    assert error.startswith(f"{path}:25:15: 错误 file-unreadable 文件不是可读取的文本：第 25 行第 15 个字符处")


def test_docx_of_a_bell_in_a_reason_is_refused_without_writing(runner, tmp_path) -> None:
    path = variant(tmp_path, REASON, PRIOR + '    reason: "本年减少\\a经费"')
    out = tmp_path / "out.docx"
    result = run(runner, "render", str(path), "-o", str(out))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not out.exists()
    assert f"{path}:25:13: 错误 control-character" in result.stderr


# --- CSV reports: a cell a spreadsheet would run as a formula is written as text ---------------

def test_neutralise_prefixes_formula_starts_only() -> None:
    from narrator.document.csvcells import csv_text, neutralise

    assert [neutralise(c) for c in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "信访局", "", 3, "a=b"]] == \
        ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\r=1", "信访局", "", 3, "a=b"]
    assert csv_text(["a", "b"], [["=HYPERLINK(\"http://x\")", 7]]) == '\ufeffa,b\n"\'=HYPERLINK(""http://x"")",7\n'


def test_batch_csv_report_neutralises_a_formula_department(tmp_path) -> None:
    import csv
    import io

    from typer.testing import CliRunner

    from narrator.cli import app

    region = tmp_path / "区域"
    region.mkdir()
    hostile = '=HYPERLINK("http://example.invalid/","点击")'
    (region / "局.yaml").write_text(
        ORIGINAL.replace("department: 阿图什市信访局", f"department: '{hostile}'"), encoding="utf-8")
    assert f"department: '{hostile}'" in (region / "局.yaml").read_text(encoding="utf-8")
    report = tmp_path / "r.csv"
    result = CliRunner().invoke(app, ["batch", str(region), "-o", str(tmp_path / "out"), "-r", str(report),
                                      "--no-progress"])
    assert "Traceback" not in result.output
    rows = list(csv.reader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    assert {row[2] for row in rows[1:]} == {"'" + hostile}


def test_review_csv_report_neutralises_a_formula_path(runner, tmp_path, monkeypatch) -> None:
    import csv
    import io

    monkeypatch.chdir(tmp_path)
    Path("=cmd.txt").write_text("本部门主要用于主要用于保障运转。\n", encoding="utf-8")
    result = run(runner, "review", "=cmd.txt", "-r", "r.csv", "--no-progress")
    assert result.exit_code == 1, result.output
    rows = list(csv.reader(io.StringIO(Path("r.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "'=cmd.txt"
    assert rows[1][5] == "doubled-word"


# --- terminal: control sequences in printed values are shown as escapes -------------------------

def test_terminal_safe_escapes_controls_surrogates_and_bidi() -> None:
    from narrator.shown import terminal_safe

    assert terminal_safe("局\x1b]0;title\x07\n\t\x9b\ud800\u202e好") == \
        "局\\x1b]0;title\\x07\\x0a\t\\x9b\\ud800\\u202e好"
    assert terminal_safe("阿图什市信访局 a-b “引号”") == "阿图什市信访局 a-b “引号”"


def test_review_prints_an_escape_in_a_file_name_as_text(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "a\x1b[2Jb\u202e.txt"
    Path(name).write_text("本部门主要用于主要用于保障运转。\n", encoding="utf-8")
    result = run(runner, "review", name, "--no-progress")
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert result.stdout.splitlines() == ["a\\x1b[2Jb\\u202e.txt:1:4: 错误 doubled-word 词语重复“主要用于主要用于”"]


def test_batch_summary_shows_markup_and_escapes_in_a_key_as_written(tmp_path) -> None:
    from typer.testing import CliRunner

    from narrator.cli import app

    region = tmp_path / "区域"
    region.mkdir()
    (region / "局.yaml").write_text(ORIGINAL + "'[red]键[/red]\\e': 1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(region), "-o", str(tmp_path / "out"), "--no-progress"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "\x1b" not in result.output
    assert "[red]键[/red]\\e" in result.output  # in the table of failed files, markup shown as written


# --- text fields are one paragraph of text in every output ----------------------------------------

MULTI_LINE = PRIOR + "    reason: |\n      本年减少经费\n\n      # 假标题\n\n      | a | b |\n      |---|---|\n"


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx"])
def test_a_multi_line_reason_is_folded_into_its_sentence(runner, tmp_path, suffix: str) -> None:
    path = variant(tmp_path, REASON, MULTI_LINE)
    out = tmp_path / f"out{suffix}"
    result = run(runner, "render", str(path), "-o", str(out))
    assert result.exit_code in (0, 1), result.output
    if suffix == ".docx":
        from docx import Document

        paragraphs = [p.text for p in Document(str(out)).paragraphs]
        assert not any(p.startswith(("#", "假标题", "|")) for p in paragraphs)
        assert any("本年减少经费# 假标题| a | b | |---|---|" in p for p in paragraphs)
        assert not any("假标题" in p.style.name for p in Document(str(out)).paragraphs)
        return
    text = out.read_text(encoding="utf-8")
    if suffix == ".md":
        assert "主要原因是本年减少经费# 假标题| a | b | |---|---|。" in text
        assert not any(line.startswith(("#", "|")) and "假标题" in line for line in text.splitlines())
    else:
        assert "本年减少经费# 假标题| a | b | |---|---|" in text
        assert "<h1>假标题" not in text and "<h2>假标题" not in text and "<table" not in text.split("本年减少经费")[1][:50]


@pytest.mark.parametrize("written, message", [
    ('"本年减少 <!-- narrator: ignore -->"', "文字中不能有 HTML 标记 “<!--”（会成为文档的结构或注释）"),
    ('"<script>x</script>"', "文字中不能有 HTML 标记 “<s”（会成为文档的结构或注释）"),
    ('"# 标题"', "文字不能以 “#” 开头（在 Markdown 中会成为标题或表格）"),
    ("|\n      \n      | a | b |", "文字不能以 “|” 开头（在 Markdown 中会成为标题或表格）"),
])
def test_structure_in_a_reason_is_refused_with_its_place(runner, tmp_path, written: str, message: str) -> None:
    path = variant(tmp_path, REASON, f"{PRIOR}    reason: {written}")
    assert refused(runner, tmp_path, path, "render") == [
        f"{path}:25:5: 错误 text-format income.general.reason：{message}"]


def test_a_comparison_sign_is_still_text(runner, tmp_path) -> None:
    path = variant(tmp_path, REASON, f"{PRIOR}    reason: 人员经费增长<5%，公用经费减少")
    result = run(runner, "render", str(path))
    assert result.exit_code in (0, 1), result.output
    assert "主要原因是人员经费增长<5%，公用经费减少。" in result.stdout


@pytest.mark.parametrize("command", [["render"], ["check"], ["explain"], ["diff", str(EXAMPLE)]])
def test_every_command_reading_figures_refuses_nan_at_its_line(runner, tmp_path, command) -> None:
    path = variant(tmp_path, AMOUNT, "    amount: .nan")
    before = path.read_bytes()
    result = run(runner, *command, str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == before
    assert f"{path}:23:13: 错误 number-form 金额只能写十进制数字：“.nan” 不是十进制写法" \
           "（请写 214 或 214.20；要写文字请加引号）" in result.stderr.splitlines()
