"""narrator review on many files: folders, unreadable files, reports, the same bytes for any --jobs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrator.cli import app
from narrator.errors import Finding, Location, NarratorError
from narrator.review import review_file
from narrator.review.batch import Excerpt, FileReview, collect, excerpt, exit_code
from narrator.review.html import render_html
from narrator.review.report import summary_rows

# doubled-word (error) twice, one in a sentence holding markup that the HTML must escape
WITH_ERRORS = ("一、收入预算说明\n\n本部门2025年收入预算100.00万元，主要用于主要用于日常运转。"
               "其中<b>机关</b>运行支出支出50.00万元。\n")
# half-width-punctuation (warning) only
WITH_WARNING = "按照全口径预算的原则,所有收入纳入管理。\n"
CLEAN = "一、收入预算说明\n\n本部门2025年收入预算100.00万元。\n"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "公开"
    (folder / "乙").mkdir(parents=True)
    (folder / "甲.txt").write_text(WITH_ERRORS, encoding="utf-8")
    (folder / "乙" / "好.md").write_text(CLEAN, encoding="utf-8")
    (folder / "乙" / "警告.txt").write_text(WITH_WARNING, encoding="utf-8")
    (folder / "坏.pdf").write_bytes(b"\xff\xfe\x00 this is not a PDF \x80\x81")
    (folder / "空.txt").write_text("", encoding="utf-8")
    (folder / "附表.xlsx").write_bytes(b"PK")
    (folder / ".隐藏.txt").write_text(WITH_ERRORS, encoding="utf-8")
    return folder


def _review(*args: str):
    return CliRunner().invoke(app, ["review", *args, "--no-progress"])


def _error_of(path: Path) -> list[dict]:
    """What the reader says about a file it cannot read (the reader's own wording)."""
    with pytest.raises(NarratorError) as raised:
        review_file(path)
    return [f.to_dict() for f in raised.value.findings]


def test_collect_walks_sorted_skips_other_types_and_hidden(tmp_path):
    folder = _folder(tmp_path)
    found = collect([folder])
    assert [p.relative_to(folder).as_posix() for p in found.files] == ["乙/好.md", "乙/警告.txt", "坏.pdf", "甲.txt", "空.txt"]
    assert found.skipped == 1
    # a file named on the command line is taken whatever its type, and only once
    assert collect([folder / "附表.xlsx", folder / "附表.xlsx"]).files == (folder / "附表.xlsx",)


def test_folder_findings_in_order_unreadable_reported_exit_2(tmp_path):
    folder = _folder(tmp_path)
    result = _review(str(folder))
    assert result.exit_code == 2
    a, w = folder / "甲.txt", folder / "乙" / "警告.txt"
    assert result.stdout.splitlines() == [
        f"{w}:1:11: 警告 half-width-punctuation 中文中使用了半角标点“,”，应使用全角标点",
        f"{a}:3:22: 错误 doubled-word 词语重复“主要用于主要用于”",
        f"{a}:3:48: 错误 doubled-word 词语重复“支出支出”",
    ]
    bad = _error_of(folder / "坏.pdf")[0]
    assert f"{bad['path']}:{bad['line']}:{bad['column']}: 错误 {bad['rule']} {bad['message']}" in result.stderr
    assert "审查汇总" in result.stderr and "跳过其他类型的文件 1 个" in result.stderr


def test_summary_rows_per_file(tmp_path):
    folder = _folder(tmp_path)
    result = _review(str(folder), "--format", "json")
    files = json.loads(result.stdout)["files"]
    assert [(f["path"], f["status"]) for f in files] == [
        (str(folder / "乙" / "好.md"), "ok"), (str(folder / "乙" / "警告.txt"), "findings"),
        (str(folder / "坏.pdf"), "unreadable"), (str(folder / "甲.txt"), "findings"),
        (str(folder / "空.txt"), "unreadable"),
    ]
    reviews = [FileReview("好.md"), FileReview("警告.txt", [Finding(Location("警告.txt", 1, 11), "warning", "r", "m")]),
               FileReview("坏.pdf", error=[Finding(Location("坏.pdf"), "error", "x", "不是 PDF 文件"),
                                           Finding(Location("坏.pdf"), "error", "y", "另一个")])]
    assert summary_rows(reviews) == [
        ("好.md", "0", "0", "0", "无问题"),
        ("警告.txt", "0", "1", "0", ""),
        ("坏.pdf", "-", "-", "-", "无法读取：不是 PDF 文件（另有 1 个问题）"),
    ]


def test_exit_codes_follow_fail_on(tmp_path):
    folder = _folder(tmp_path)
    warning, errors = folder / "乙" / "警告.txt", folder / "甲.txt"
    assert _review(str(warning)).exit_code == 0
    assert _review(str(warning), "--fail-on", "warning").exit_code == 1
    assert _review(str(errors), str(warning)).exit_code == 1
    assert _review(str(errors), str(tmp_path / "没有.txt")).exit_code == 2
    assert _review(str(errors), "--ignore", "doubled-word").exit_code == 0
    assert exit_code([FileReview("a", [Finding(Location("a"), "note", "r", "m")])], "note") == 1


def test_one_file_has_no_summary_table(tmp_path):
    folder = _folder(tmp_path)
    result = _review(str(folder / "甲.txt"))
    assert result.exit_code == 1 and result.stderr == ""


def test_json_report(tmp_path):
    folder = _folder(tmp_path)
    target = tmp_path / "报告.json"
    assert _review(str(folder), "-r", str(target)).exit_code == 2
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["summary"] == {"files": 5, "unreadable": 2, "with_findings": 2, "skipped": 1,
                               "findings": {"error": 2, "warning": 1, "note": 0}}
    a = str(folder / "甲.txt")
    by_path = {f["path"]: f for f in data["files"]}
    assert by_path[a] == {
        "path": a, "status": "findings", "counts": {"error": 2, "warning": 0, "note": 0},
        "findings": [
            {"path": a, "line": 3, "column": 22, "level": "error", "rule": "doubled-word",
             "message": "词语重复“主要用于主要用于”", "sentence": "本部门2025年收入预算100.00万元，主要用于主要用于日常运转。"},
            {"path": a, "line": 3, "column": 48, "level": "error", "rule": "doubled-word",
             "message": "词语重复“支出支出”", "sentence": "其中<b>机关</b>运行支出支出50.00万元。"},
        ],
    }
    bad = str(folder / "坏.pdf")
    assert by_path[bad] == {"path": bad, "status": "unreadable", "counts": {"error": 0, "warning": 0, "note": 0},
                            "error": _error_of(folder / "坏.pdf"), "findings": []}
    empty = by_path[str(folder / "空.txt")]["error"]
    assert [(e["path"], e["level"]) for e in empty] == [(str(folder / "空.txt"), "error")]
    # every finding also in one flat list, in file order (what `narrator lint --format json` tools read)
    assert data["findings"] == [f for entry in data["files"] for f in entry["findings"]]


def test_csv_report_rows(tmp_path):
    folder = _folder(tmp_path)
    target = tmp_path / "报告.csv"
    _review(str(folder / "甲.txt"), str(folder / "坏.pdf"), "-r", str(target))
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    a = str(folder / "甲.txt")
    bad = _error_of(folder / "坏.pdf")[0]
    assert rows == [
        ["文件", "页", "行", "列", "级别", "规则", "消息", "句子"],
        [a, "", "3", "22", "错误", "doubled-word", "词语重复“主要用于主要用于”",
         "本部门2025年收入预算100.00万元，主要用于主要用于日常运转。"],
        [a, "", "3", "48", "错误", "doubled-word", "词语重复“支出支出”", "其中<b>机关</b>运行支出支出50.00万元。"],
        [bad["path"], "", str(bad["line"] or ""), str(bad["column"] or ""), "错误", bad["rule"], bad["message"], ""],
    ]


def test_html_report_highlights_the_sentence_and_escapes(tmp_path):
    folder = _folder(tmp_path)
    target = tmp_path / "报告.html"
    _review(str(folder), "-r", str(target))
    page = target.read_text(encoding="utf-8")
    assert "<mark>其中&lt;b&gt;机关&lt;/b&gt;运行支出支出50.00万元。</mark><sup>2</sup>" in page
    assert "<mark>本部门2025年收入预算100.00万元，主要用于主要用于日常运转。</mark><sup>1</sup>" in page
    assert "<b>机关" not in page
    assert "第 3 行 第 48 列" in page and "无法读取：" in page and "未发现问题。" in page
    assert "http" not in page  # nothing outside the page


def test_html_place_of_a_paged_finding():
    finding = Finding(Location("a.pdf", 3, 7, page=2), "warning", "r", "消息")
    review = FileReview("a.pdf", [finding], [Excerpt(0, 3, 7, 4)], {0: "标题。甲乙丙。丁。"})
    page = render_html([review])
    assert "标题。<mark>甲乙丙。</mark><sup>1</sup>丁。" in page
    assert "第 2 页 第 3 行 第 7 列" in page


def test_html_place_in_a_word_file_is_paragraph_and_character():
    finding = Finding(Location("甲局.docx", 4, 68), "error", "r", "消息")
    review = FileReview("甲局.docx", [finding], [Excerpt(0, 0, 3, 1)], {0: "甲乙丙。"})
    assert "第 4 段 第 68 字" in render_html([review])


@pytest.mark.parametrize("form", ["text", "json", "html"])
def test_jobs_do_not_change_a_byte(tmp_path, form):
    folder = _folder(tmp_path)
    for n in range(8):  # enough files that two processes interleave
        (folder / f"多{n}.txt").write_text(WITH_ERRORS if n % 2 else WITH_WARNING, encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        reports = [tmp_path / f"r{jobs}.{ext}" for ext in ("json", "csv", "html")]
        result = _review(str(folder), "--format", form, "--jobs", jobs, *(a for r in reports for a in ("-r", str(r))))
        assert result.exit_code == 2
        outputs.append((result.stdout, *(r.read_bytes() for r in reports)))
    assert outputs[0] == outputs[1]


def test_unknown_report_type_refused_before_any_work(tmp_path):
    folder = _folder(tmp_path)
    result = _review(str(folder), "-r", str(tmp_path / "报告.json"), "-r", str(tmp_path / "报告.xlsx"))
    assert result.exit_code == 2
    assert "不支持的报告类型 “.xlsx”" in result.stderr
    assert result.stdout == "" and not (tmp_path / "报告.json").exists()


def test_sentence_around_an_offset():
    text = "标题\n甲说了。乙说了;丙\n丁。戊。"
    def sentence(offset):
        index, place = excerpt(text, offset)
        return text.split("\n")[index][place.start:place.end]
    assert sentence(0) == "标题"
    assert sentence(3) == "甲说了。"
    assert sentence(6) == "甲说了。"    # on the end mark itself
    assert sentence(8) == "乙说了;"     # a folded half-width end mark ends a sentence too
    assert sentence(12) == "丙"
    assert sentence(len(text)) == "戊。"  # after the last mark: the sentence before
    quoted = "他说：“甲。”乙。"
    assert quoted[excerpt(quoted, 4)[1].start:excerpt(quoted, 4)[1].end] == "他说：“甲。”"
    assert quoted[excerpt(quoted, 7)[1].start:excerpt(quoted, 7)[1].end] == "乙。"


def test_a_folder_with_nothing_to_review_is_bad_input(tmp_path):
    folder = tmp_path / "空文件夹"
    folder.mkdir()
    (folder / "附表.xlsx").write_bytes(b"PK")
    result = _review(str(folder))
    assert result.exit_code == 2
    assert result.stderr == f"{folder}:0:0: 错误 no-documents 没有可审查的文件（.pdf、.docx、.txt、.md）\n"


def test_an_unknown_document_format_is_refused_once(tmp_path):
    folder = _folder(tmp_path)
    result = _review(str(folder), "--doc-format", "没有这种格式")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith(
        "“没有这种格式” 不是可用的文档格式；可选：final-accounts、hebei-2021、performance-self-evaluation、shanghai-budget、shanghai-final-accounts、"
        "xinjiang-2025")
    assert result.stdout == ""


def test_csv_and_json_of_a_paged_finding():
    from narrator.review.report import to_csv, to_json

    finding = Finding(Location("a.pdf", 3, 7, page=2), "warning", "r", "消息")
    review = FileReview("a.pdf", [finding], [Excerpt(0, 3, 7, 4)], {0: "标题。甲乙丙。丁。"})
    assert to_csv([review]) == "\ufeff文件,页,行,列,级别,规则,消息,句子\na.pdf,2,3,7,警告,r,消息,甲乙丙。\n"
    assert json.loads(to_json([review]))["files"][0]["findings"] == [
        {"path": "a.pdf", "page": 2, "line": 3, "column": 7, "level": "warning", "rule": "r",
         "message": "消息", "sentence": "甲乙丙。"}]


def test_a_folder_s_doc_and_wps_are_reported_unreadable_not_skipped(tmp_path):
    """A unit that sent a .doc was not reviewed: the summary says so and why, the exit code is 2."""
    folder = tmp_path / "各单位"
    folder.mkdir()
    (folder / "甲.txt").write_text(CLEAN, encoding="utf-8")
    (folder / "乙.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "丙.WPS").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "附表.xlsx").write_bytes(b"PK")
    found = collect([folder])
    assert [p.name for p in found.files] == ["丙.WPS", "乙.doc", "甲.txt"] and found.skipped == 1
    result = _review(str(folder), "--format", "json")
    assert result.exit_code == 2
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert [(name, f["status"]) for name, f in files.items()] == [
        ("丙.WPS", "unreadable"), ("乙.doc", "unreadable"), ("甲.txt", "ok")]
    assert [e["message"] for e in files["乙.doc"]["error"]] == [
        "旧版 Word 文件（.doc）不能直接读取，请在 Word 或 WPS 中另存为 .docx 后再审查"]
