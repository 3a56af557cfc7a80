"""narrator batch: a folder tree of figures files rendered at once, the same whatever --jobs."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import figuresgen
from typer.testing import CliRunner

from narrator.workflow.batch import plan, run
from narrator.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"
GOLDEN = Path(__file__).parent / "cases" / "atushi-2025" / "expected.md"
BAD_YEAR = "department: 坏文件局\nyear: abc\n"


def _invoke(*args: str):
    return CliRunner().invoke(app, ["batch", *args, "--no-progress"])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _small_region(tmp_path: Path) -> Path:
    region = tmp_path / "区域"
    (region / "甲县").mkdir(parents=True)
    (region / "乙县" / "深").mkdir(parents=True)
    shutil.copy(EXAMPLE, region / "甲县" / "信访局.yaml")
    shutil.copy(EXAMPLE, region / "乙县" / "深" / "信访局.yml")
    (region / "乙县" / "坏.yaml").write_text(BAD_YEAR, encoding="utf-8")
    (region / "说明.txt").write_text("not a figures file", encoding="utf-8")
    return region


def test_every_file_rendered_bad_one_reported(tmp_path: Path) -> None:
    region = _small_region(tmp_path)
    out = tmp_path / "输出"
    result = _invoke(str(region), "-o", str(out), "-r", str(tmp_path / "r.json"))
    assert result.exit_code == 2, result.output
    assert sorted(_tree(out)) == ["乙县/深/信访局.md", "甲县/信访局.md"]
    assert (out / "甲县" / "信访局.md").read_bytes() == GOLDEN.read_bytes()
    assert (out / "乙县" / "深" / "信访局.md").read_bytes() == GOLDEN.read_bytes()
    assert f"{region / '乙县' / '坏.yaml'}:2:1: 错误 bad-value year：“abc” 应为整数" in result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"] == {"files": 3, "departments": 1, "ok": 2, "with_findings": 0, "failed": 1,
                                 "skipped": 0, "findings": {"error": 1, "warning": 0, "note": 4}}
    assert [(f["source"], f["status"], f["output"]) for f in report["files"]] == [
        ("乙县/坏.yaml", "failed", None),
        ("乙县/深/信访局.yml", "ok", "乙县/深/信访局.md"),
        ("甲县/信访局.yaml", "ok", "甲县/信访局.md"),
    ]
    assert report["files"][0]["findings"] == [{
        "path": str(region / "乙县" / "坏.yaml"), "line": 2, "column": 1, "level": "error",
        "rule": "bad-value", "message": "year：“abc” 应为整数"}]


def test_summary_table_counts(tmp_path: Path) -> None:
    result = _invoke(str(_small_region(tmp_path)), "-o", str(tmp_path / "out"))
    lines = [" ".join(line.replace("│", " ").split()) for line in result.output.splitlines()]
    for row in ("数据文件 3", "部门（单位） 1", "成功，无问题（可有提示） 2", "失败（未生成） 1", "错误 1", "警告 0"):
        assert row in lines
    assert any(line.startswith("乙县/坏.yaml 2行 bad-value") for line in lines)


def test_csv_report_has_one_row_per_finding(tmp_path: Path) -> None:
    region = tmp_path / "r"
    region.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8").replace("    reason: 本年在职人员减少，人员经费减少\n", "", 1)
    (region / "a.yaml").write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLE, region / "b.yaml")
    result = _invoke(str(region), "-o", str(tmp_path / "out"), "-r", str(tmp_path / "r.csv"))
    assert result.exit_code == 1, result.output
    data = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert data.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(data[1:])))
    assert rows[0] == ["source", "output", "department", "year", "status", "path", "line", "column",
                       "level", "rule", "message"]
    assert [r[:5] for r in rows[1:]] == [["a.yaml", "a.md", "阿图什市信访局", "2025", "findings"]] * 3 + \
        [["b.yaml", "b.md", "阿图什市信访局", "2025", "ok"]] * 2
    # a.yaml: the missing reason (once, not again as a check finding) and the two real 尾差 notes
    assert [r[8:10] for r in rows[1:4]] == [["warning", "missing-reason"], ["note", "class-total"],
                                           ["note", "basic-total"]]
    assert [r[8:10] for r in rows[4:]] == [["note", "class-total"], ["note", "basic-total"]]
    lines = [" ".join(line.replace("│", " ").split()) for line in result.output.splitlines()]
    assert "阿图什市信访局 a.yaml 0 1 2" in lines  # the table of departments with findings


def test_output_is_the_same_whatever_jobs(tmp_path: Path) -> None:
    region = tmp_path / "region"
    figuresgen.write_region(region, 60, seed=7)
    (region / "阿图什市" / "broken.yaml").write_text(BAD_YEAR, encoding="utf-8")
    trees = []
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"out{jobs}"
        result = _invoke(str(region), "-o", str(out), "--jobs", jobs, "--sidecar",
                         "-r", str(out / "report.json"), "-r", str(out / "report.csv"))
        assert result.exit_code == 2, result.output
        trees.append(_tree(out))
    assert len(trees[0]) == 60 * 2 + 2  # text + sidecar per good file, two reports
    assert trees[0] == trees[1] == trees[2]


def test_results_come_in_input_order_with_a_pool(tmp_path: Path) -> None:
    region = tmp_path / "region"
    paths = figuresgen.write_region(region, 30, seed=3)
    jobs = plan(region, None, "xinjiang-2025")
    assert [j.source for j in jobs] == sorted(paths, key=lambda p: p.relative_to(region).as_posix())
    assert [r.source for r in run(jobs, 2)] == [j.relative for j in jobs]


def test_no_temporary_or_partial_files_are_left(tmp_path: Path) -> None:
    region = _small_region(tmp_path)
    out = tmp_path / "out"
    _invoke(str(region), "-o", str(out), "--jobs", "2")
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]


def test_txt_output_and_output_folder_inside_input(tmp_path: Path) -> None:
    region = tmp_path / "r"
    region.mkdir()
    shutil.copy(EXAMPLE, region / "a.yaml")
    result = _invoke(str(region), "-o", str(region / "out"), "--to", "txt")
    assert result.exit_code == 0, result.output
    assert sorted(_tree(region / "out")) == ["a.txt"]
    assert (region / "out" / "a.txt").read_text(encoding="utf-8").startswith("第三部分 2025年部门预算情况说明\n")
    again = _invoke(str(region), "-o", str(region / "out"), "-r", str(tmp_path / "r.json"))
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["summary"]["files"] == 1, again.output


def test_bad_arguments_are_refused_before_any_work(tmp_path: Path) -> None:
    region = _small_region(tmp_path)
    result = _invoke(str(region), "-o", str(tmp_path / "out"), "-r", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 2
    assert "不支持的报告类型 “.xlsx”" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    pdf = _invoke(str(region), "-o", str(tmp_path / "out"), "--to", "pdf")
    assert pdf.exit_code == 2 and "“pdf” 不是可用的输出类型；可选：md、txt、html、docx" in pdf.output
    missing = _invoke(str(tmp_path / "nowhere"), "-o", str(tmp_path / "o2"))
    assert missing.exit_code == 2 and "不是文件夹" in missing.output


def test_two_inputs_with_one_output_name_do_not_overwrite_each_other(tmp_path: Path) -> None:
    region = tmp_path / "r"
    region.mkdir()
    shutil.copy(EXAMPLE, region / "a.yaml")
    (region / "a.yml").write_text(EXAMPLE.read_text(encoding="utf-8").replace("阿图什市信访局", "另一局"),
                                  encoding="utf-8")
    result = _invoke(str(region), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"{region / 'a.yml'}:0:0: 错误 output-clash 输出文件 a.md 已由 a.yaml 生成，本文件未生成；请改名" in result.output
    assert (tmp_path / "out" / "a.md").read_bytes() == GOLDEN.read_bytes()


def test_a_batch_uses_the_formats_there_were_when_it_began(tmp_path: Path, monkeypatch) -> None:
    """Within ``pinned`` (what a batch runs in) the formats are looked for once; outside, at every call."""
    from narrator import resources
    from narrator.text import formats

    extra = tmp_path / "formats"
    extra.mkdir()
    monkeypatch.setenv("NARRATOR_TEMPLATES", str(extra))
    resources.templates_dirs.cache_clear()
    try:
        before = formats.format_names()
        with formats.pinned():
            (extra / "mine").mkdir()
            (extra / "mine" / "format.yaml").write_text("name: mine\n", encoding="utf-8")
            assert formats.format_names() == before
        assert formats.format_names() == sorted([*before, "mine"])
    finally:
        monkeypatch.delenv("NARRATOR_TEMPLATES")
        resources.templates_dirs.cache_clear()
