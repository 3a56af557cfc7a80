"""The web page's HTTP layer, fast (Starlette's TestClient): what the pages answer, what they
refuse, and that every download is what the command line writes for the same input."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from narrator.web import create_app
from narrator.web.safety import Limits
from narrator.web.store import Store

from .conftest import FIXTURES, ROOT, run

sys.path.insert(0, str(ROOT / "bench"))
import pdfmaker  # noqa: E402

PORT = 8765
WORKBOOK = FIXTURES / "atushi-2025.xlsx"
PRIOR = FIXTURES / "atushi-2024.yaml"
REASON = "本年减少联合接访运转项目经费"
DOUBLED = "本年经费主要用于主要用于日常运转。"


def client(folder: Path, limits: Limits = Limits()) -> TestClient:
    made = TestClient(create_app(Store(folder), PORT, limits), base_url=f"http://127.0.0.1:{PORT}")
    made.folder = folder  # type: ignore[attr-defined]
    return made


def alert(html: str) -> str:
    start = html.index('role="alert"')
    return html[html.index(">", start) + 1:html.index("<", start)]


def start_draft(web: TestClient, prior: bool = True) -> str:
    files = {"workbook": ("预算公开表.xlsx", WORKBOOK.read_bytes())}
    if prior:
        files["prior"] = ("上年.yaml", PRIOR.read_bytes())
    answer = web.post("/draft", files=files, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


@pytest.fixture
def web(tmp_path: Path) -> TestClient:
    return client(tmp_path / "work")


def test_the_home_page_is_chinese_and_loads_nothing_from_outside(web: TestClient) -> None:
    page = web.get("/").text
    assert "起草第三部分 预算情况说明" in page and "审查报来的文件" in page
    for name in ("/", "/draft", "/review"):
        html = web.get(name).text
        assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assert web.get("/static/draft.js").status_code == 200
    assert "fetch(\"/draft/" in web.get("/static/draft.js").text


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "localhost", "192.168.1.5:8765"])
def test_a_request_naming_another_host_is_refused(web: TestClient, host: str) -> None:
    answer = web.get("/", headers={"host": host})
    assert answer.status_code == 403
    assert answer.text == "请求的主机名不是本机的 narrator（只接受 127.0.0.1 或 localhost 及本端口）"


def test_a_request_from_another_site_is_refused_and_one_from_the_page_is_not(web: TestClient) -> None:
    refused = web.post("/review", headers={"origin": "http://evil.example"}, files={"files": ("a.txt", b"x")})
    assert (refused.status_code, refused.text) == (403, "拒绝来自其他网站的请求")
    assert web.get("/", headers={"host": f"localhost:{PORT}", "origin": f"http://localhost:{PORT}"}).status_code == 200


def test_the_server_ignores_the_users_templates_and_classification(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATOR_TEMPLATES", str(tmp_path))
    monkeypatch.setenv("NARRATOR_CLASSIFICATION", str(tmp_path / "科目.yaml"))
    client(tmp_path / "work")
    assert "NARRATOR_TEMPLATES" not in os.environ and "NARRATOR_CLASSIFICATION" not in os.environ
    from narrator.resources import templates_dirs

    assert templates_dirs() == (ROOT / "templates",)


def test_a_workbook_becomes_fields_and_a_preview(web: TestClient) -> None:
    page = web.get(start_draft(web)).text
    assert '<legend>表2</legend>' in page and 'id="field-1"' in page
    assert "一般公共预算拨款</b> · 增减原因" in page and "本年 214.20 · 上年 254.85 · 增减 -40.65 万元" in page
    assert "年收入预算情况说明</h3>" in page and "阿图什市信访局部门收入预算" in page


def test_the_layout_chosen_reads_another_region_s_tables(web: TestClient, tmp_path: Path) -> None:
    from .shanghai_workbook import make_shanghai_workbook

    form = web.get("/draft").text
    assert 'name="layout"' in form and "上海市普陀区部门预算、单位预算公开表" in form
    path = tmp_path / "上海.xlsx"
    make_shanghai_workbook(ROOT / "examples" / "shanghai-putuo-2025.yaml").save(path)
    answer = web.post("/draft", data={"layout": "shanghai-budget"},
                      files={"workbook": ("上海预算公开表.xlsx", path.read_bytes())}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    draft = answer.headers["location"]
    figures = web.get(f"{draft}/download/yaml").text
    # the figures are in the format the layout names, with the amounts of its tables
    assert "\nformat: shanghai-budget " in figures and "department: 上海市普陀区财政局" in figures
    refused = web.post("/draft", data={"layout": "nowhere"},
                       files={"workbook": ("上海预算公开表.xlsx", path.read_bytes())})
    assert refused.status_code == 400 and alert(refused.text) == "没有名为“nowhere”的表格版式"


def test_a_typed_reason_is_in_the_preview_and_no_longer_missing(web: TestClient) -> None:
    draft = start_draft(web)
    before = web.post(f"{draft}/preview", json={"texts": {}, "full": False}).json()
    missing = [f for f in before["findings"] if f["rule"] == "missing-reason" and f["field"] == 1]
    assert [f["message"] for f in missing] == [
        "income.general.reason（一般公共预算拨款）：缺少增减变化的主要原因（由人填写，工具不代写），文中已略去"]
    after = web.post(f"{draft}/preview", json={"texts": {"1": REASON}, "full": False}).json()
    assert f"下降15.95%，主要原因是{REASON}。" in after["html"]
    assert not [f for f in after["findings"] if f["rule"] == "missing-reason" and f["field"] == 1]
    kept = web.folder / draft.rsplit("/", 1)[1] / "texts.json"
    assert json.loads(kept.read_text(encoding="utf-8")) == {"1": REASON}


def test_every_number_of_the_preview_names_its_source(web: TestClient) -> None:
    draft = start_draft(web)
    html = web.post(f"{draft}/preview", json={"texts": {"1": REASON}, "full": True}).json()["html"]
    assert '收支总预算<span class="num" tabindex="0" data-source="来源：部门收入预算合计：规则 income_total">222.22</span>万元' in html
    assert '<span class="num" tabindex="0" data-source="来源：数据文件 figures.yaml 第 10 行 year">2025</span>' in html
    assert 'class="num unknown"' not in html


def test_the_downloads_are_what_the_commands_write(web: TestClient, runner, tmp_path: Path) -> None:
    draft = start_draft(web)
    web.post(f"{draft}/preview", json={"texts": {"1": REASON}})
    figures = tmp_path / "figures.yaml"
    figures.write_bytes(web.get(f"{draft}/download/yaml").content)
    assert f"reason: {REASON}" in figures.read_text(encoding="utf-8")
    rendered = run(runner, "render", str(figures))
    markdown = web.get(f"{draft}/download/md")
    assert markdown.headers["content-disposition"].endswith("''%E7%AC%AC%E4%B8%89%E9%83%A8%E5%88%86.md")
    assert markdown.text == rendered.stdout and REASON in markdown.text
    run(runner, "render", str(figures), "-o", str(tmp_path / "cli.docx"))
    from docx import Document

    def paragraphs(data: bytes) -> list[str]:
        return [p.text for p in Document(io.BytesIO(data)).paragraphs]

    assert paragraphs(web.get(f"{draft}/download/docx").content) == paragraphs((tmp_path / "cli.docx").read_bytes())
    sheet = load_workbook(io.BytesIO(web.get(f"{draft}/download/xlsx").content))["说明"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["表2", "一般公共预算拨款", None, "增减原因"] == rows[2][:4] and REASON in rows[2]
    assert {"表1", "表11"} <= set(load_workbook(io.BytesIO(web.get(f"{draft}/download/xlsx").content)).sheetnames)
    kept = {p.name for p in (web.folder / draft.rsplit("/", 1)[1]).iterdir()}
    assert kept == {"workbook.xlsx", "prior.yaml", "texts.json", "figures.yaml", "第三部分.md", "第三部分.docx",
                    "填报.xlsx"}


def test_without_last_years_figures_the_page_says_why_there_is_no_text(web: TestClient) -> None:
    draft = start_draft(web, prior=False)
    answer = web.post(f"{draft}/preview", json={"texts": {}}).json()
    assert answer["blocked"] and answer["html"] == ""
    assert any(f["rule"] == "missing-prior" and f["level"] == "error" for f in answer["findings"])
    refused = web.get(f"{draft}/download/docx")
    assert refused.status_code == 400 and "数据还不完整，不能生成第三部分.docx" in refused.text
    assert web.get(f"{draft}/download/yaml").status_code == 200


def test_a_file_of_the_wrong_type_is_refused_in_chinese(web: TestClient) -> None:
    answer = web.post("/draft", files={"workbook": ("说明.docx", b"PK\x03\x04")})
    assert answer.status_code == 400
    assert alert(answer.text) == "“说明.docx”的类型不能上传；可上传：.xlsx（Excel 工作簿）、.xls（旧版 Excel 工作簿）"
    answer = web.post("/review", files={"files": ("表.xlsx", b"PK")})
    assert alert(answer.text) == ("“表.xlsx”的类型不能上传；可上传：.pdf（PDF）、.docx（Word 文档）、.txt（文本）、"
                                  ".md（Markdown 文本）")
    assert web.get("/").status_code == 200


def test_a_workbook_narrator_cannot_read_is_a_message_and_the_server_goes_on(web: TestClient) -> None:
    answer = web.post("/draft", files={"workbook": ("预算公开表.xlsx", b"not a workbook at all")})
    assert answer.status_code == 400 and alert(answer.text) == "无法导入“预算公开表.xlsx”："
    assert "not-a-workbook" in answer.text and "预算公开表.xlsx:0:0" in answer.text
    assert "workbook.xlsx" not in answer.text   # the stored name is never shown
    assert web.get("/draft").status_code == 200


def test_too_large_and_too_many_uploads_are_refused(tmp_path: Path) -> None:
    web = client(tmp_path / "work", Limits(file_bytes=2048, files=2, request_bytes=8192))
    answer = web.post("/draft", files={"workbook": ("预算公开表.xlsx", b"x" * 2049)})
    assert alert(answer.text) == "“预算公开表.xlsx”太大（超过 2 KB）"
    answer = web.post("/review", files=[("files", (f"{n}.txt", b"x")) for n in range(3)])
    assert alert(answer.text) == "一次最多上传 2 个文件"
    answer = web.post("/review", files={"files": ("大.txt", b"x" * 20_000)})
    assert alert(answer.text) == "上传的内容太大（超过 8 KB），请分批上传"
    assert web.get("/review").status_code == 200


def test_an_uploads_name_is_shown_but_never_used_as_a_path(web: TestClient, tmp_path: Path) -> None:
    answer = web.post("/review", files={"files": ("../../逃出.txt", DOUBLED.encode())}, follow_redirects=False)
    folder = web.folder / answer.headers["location"].rsplit("/", 1)[1]
    assert [p.name for p in folder.iterdir()] == ["upload1.txt"]
    assert not (tmp_path / "逃出.txt").exists()
    page = web.get(answer.headers["location"]).text
    assert "<h2>逃出.txt</h2>" in page


def _pdf(tmp_path: Path) -> Path:
    path = tmp_path / "部门预算.pdf"
    pdfmaker.make_pdf(path, ["本部门认真落实过紧日子要求，严格控制一般性支出。", DOUBLED], header="")
    return path


def test_a_review_shows_each_finding_beside_its_sentence_and_keeps_accepted_notes(web: TestClient,
                                                                                tmp_path: Path) -> None:
    pdf = _pdf(tmp_path)
    answer = web.post("/review", files=[("files", (pdf.name, pdf.read_bytes())),
                                        ("files", ("b.txt", "收入增加（减少）10万元。".encode()))],
                      follow_redirects=False)
    review = answer.headers["location"]
    page = web.get(review).text
    assert f'<mark data-numbers="1">{DOUBLED}<sup>1</sup></mark>' in page
    assert 'data-rule="doubled-word" data-file="0" data-finding="0"' in page
    assert "词语重复“主要用于主要用于”" in page and "第 1 页 第 2 行 第 5 列" in page
    assert 'data-rule="template-residue" data-file="1"' in page
    accepted = web.post(f"{review}/accept", json={"file": 0, "finding": 0, "note": "已与单位核实"})
    assert accepted.json() == {"accepted": 1}
    assert web.post(f"{review}/accept", json={"file": 5, "finding": 0}).status_code == 400
    csv_lines = web.get(f"{review}/report/csv").text.splitlines()
    assert csv_lines[0] == "\ufeff文件,页,行,列,级别,规则,消息,句子,已确认,备注"
    assert csv_lines[1] == f"部门预算.pdf,1,2,5,错误,doubled-word,词语重复“主要用于主要用于”,{DOUBLED},是,已与单位核实"
    assert csv_lines[2].endswith(",,")
    data = web.get(f"{review}/report/json").json()
    assert data["files"][0]["findings"][0]["accepted"] == {"note": "已与单位核实"}
    assert "accepted" not in data["files"][1]["findings"][0]
    assert 'checked' in web.get(review).text and 'value="已与单位核实"' in web.get(review).text
    html = web.get(f"{review}/report/html").text
    assert '第 1 页 第 2 行 第 5 列</span> <span class="accepted">已确认：已与单位核实</span></li>' in html
    assert html.count("已确认") == 1


def test_the_html_report_is_the_one_narrator_review_writes(web: TestClient, tmp_path: Path) -> None:
    from narrator.review.batch import ReviewJob, review_one
    from narrator.review.report import to_html

    pdf = _pdf(tmp_path)
    review = web.post("/review", files={"files": (pdf.name, pdf.read_bytes())}, follow_redirects=False)
    html = web.get(f"{review.headers['location']}/report/html").text
    assert html == to_html([review_one(ReviewJob(pdf, None, "xinjiang-2025", frozenset(), "national", pdf.name))])


def test_narrator_serve_listens_on_the_loopback_address_and_opens_the_browser_unless_told_not_to(
        runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    import narrator.web.app as web_app

    served, opened = [], []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: served.append((self.config.host, self.config.port)))
    monkeypatch.setattr(web_app.webbrowser, "open", opened.append)
    monkeypatch.setattr(web_app, "check_port", lambda port: None)  # 8765 may be in use on a test machine

    class Now:  # the browser is opened a moment after the server starts: here, at once
        def __init__(self, delay: float, action) -> None:
            self.action = action

        def start(self) -> None:
            self.action()

    monkeypatch.setattr(web_app.threading, "Timer", Now)
    result = run(runner, "serve", "--port", "9876", "--no-browser", "--workdir", str(tmp_path / "工作"))
    assert result.exit_code == 0 and served == [("127.0.0.1", 9876)] and opened == []
    assert "http://127.0.0.1:9876/" in result.stderr and (tmp_path / "工作").is_dir()
    run(runner, "serve")
    assert served[-1] == ("127.0.0.1", 8765) and opened == ["http://127.0.0.1:8765/"]


def test_a_wording_finding_in_a_typed_text_links_to_its_sentence(web: TestClient) -> None:
    draft = start_draft(web)
    answer = web.post(f"{draft}/preview", json={"texts": {"1": "人员减少，，经费压减"}, "full": True}).json()
    doubled = [f for f in answer["findings"] if f["rule"] == "doubled-punctuation"]
    assert len(doubled) == 1 and doubled[0]["where"].startswith("第三部分.md:")
    line = doubled[0]["line"]
    assert f'<p data-line="{line}">' in answer["html"]
    paragraph = answer["html"].split(f'<p data-line="{line}">')[1].split("</p>")[0]
    assert paragraph.endswith("，，经费压减。") and "income.general.reason" in paragraph


def test_last_years_figures_naming_their_own_classification_file_are_refused(web: TestClient) -> None:
    text = PRIOR.read_text(encoding="utf-8") + "classification: ../../科目表.yaml\n"
    answer = web.post("/draft", files={"workbook": ("预算公开表.xlsx", WORKBOOK.read_bytes()),
                                       "prior": ("上年.yaml", text.encode())})
    assert answer.status_code == 400
    assert alert(answer.text) == ("“上年.yaml”用 classification: 指定了自己的科目表，网页中只用 narrator 自带的科目表；"
                                  "请删去这一行再上传，或在命令行中用 narrator import --prior")


def test_a_port_already_taken_is_a_message_not_a_traceback(runner) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(runner, "serve", "--port", str(port), "--no-browser")
    assert result.exit_code == 2
    assert result.stderr.endswith(f"127.0.0.1:{port}:0:0: 错误 port-in-use 无法使用端口 {port}（已被占用）：可能已有程序"
                                  "（或另一个 narrator serve）在用，请用 --port 换一个端口\n")
    result = run(runner, "serve", "--port", "70000", "--no-browser")
    assert result.exit_code == 2 and "无法使用端口 70000（端口应在 1—65535 之间）" in result.stderr
