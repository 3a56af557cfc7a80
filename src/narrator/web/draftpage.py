"""The clerk's page: upload the workbook, fill in the texts beside a live preview, download.

The upload is imported as ``narrator import`` does (with last year's figures file or workbook);
the fields are the rows of ``narrator form``'s 说明 sheet; each preview is the figures file
``narrator import`` would write with the typed texts, checked and rendered as ``narrator render``
does (:mod:`narrator.workflow.draft`). Downloads are the same bytes the commands write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ..workflow.draft import Draft, Preview, start_draft
from ..errors import Finding, NarratorError
from ..numbers import format_amount
from ..workbook.layout import DEFAULT_LAYOUT, layout_choices
from .pages import download, finding_json, page
from .preview import preview_html
from .safety import Limits, UploadRefused, form_of, read_upload
from .store import Store

WORKBOOKS = {".xlsx": "Excel 工作簿", ".xls": "旧版 Excel 工作簿"}
PRIORS = {**WORKBOOKS, ".yaml": "上年数据文件", ".yml": "上年数据文件"}
TEXT_MOST = 5000         # characters of one typed text (the sheet's own limits are smaller)
DOWNLOADS = {
    "docx": ("第三部分.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "md": ("第三部分.md", "text/markdown; charset=utf-8"),
    "yaml": ("figures.yaml", "application/x-yaml; charset=utf-8"),
    "xlsx": ("填报.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@dataclass
class DraftSession:
    """One clerk's draft: the import, the stored uploads, and the texts typed so far."""

    draft: Draft
    name: str                               # the workbook's own name, as the clerk knows it
    workbook: Path
    prior: Path | None
    findings: list[Finding]                 # the import's
    texts: dict[int, str] = field(default_factory=dict)

    def preview(self, full: bool = True, texts: dict[int, str] | None = None) -> Preview:
        """The draft's preview for ``texts`` (the last typed ones by default)."""
        # no lock: a preview works on its own copy of the figures, so a quick one never waits
        # for a full one still running for an older keystroke
        return self.draft.preview(dict(self.texts if texts is None else texts), full)


class DraftPages:
    """The routes of the draft page, over a :class:`Store`."""

    def __init__(self, store: Store, limits: Limits) -> None:
        self.store = store
        self.limits = limits

    async def upload_form(self, request: Request) -> Response:
        """GET /draft: the upload form."""
        return _upload_page()

    async def upload(self, request: Request) -> Response:
        """POST /draft: store the uploads, import them, and go to the new draft (or say why not)."""
        try:
            form = await form_of(request, self.limits)
            name, suffix, data = await read_upload(form.get("workbook"), WORKBOOKS, self.limits)
            layout = str(form.get("layout") or DEFAULT_LAYOUT)
            if layout not in dict(layout_choices()):
                raise UploadRefused(f"没有名为“{layout[:40]}”的表格版式")
            prior_upload = form.get("prior")
            prior = None
            if prior_upload is not None and getattr(prior_upload, "filename", ""):
                prior = await read_upload(prior_upload, PRIORS, self.limits)
                _installed_classification_only(*prior)
        except UploadRefused as refused:
            return _upload_page(400, error=refused.message)
        ident, folder = self.store.place("draft")
        workbook = self.store.write(ident, f"workbook{suffix}", data)
        prior_path = self.store.write(ident, f"prior{prior[1]}", prior[2]) if prior else None
        names = {str(workbook): name, **({str(prior_path): prior[0]} if prior else {})}
        try:
            draft, findings = await run_in_threadpool(start_draft, workbook, prior_path, names=names,
                                                       layout_name=layout)
        except NarratorError as error:
            return _upload_page(400, error=f"无法导入“{name}”：", findings=error.findings)
        session = DraftSession(draft, name, workbook, prior_path, findings, draft.initial_texts())
        self.store.keep(ident, session)
        return RedirectResponse(f"/draft/{ident}", status_code=303)

    def _session(self, request: Request) -> DraftSession | None:
        return self.store.get(request.path_params["ident"], DraftSession)

    async def show(self, request: Request) -> Response:
        """GET /draft/{ident}: the fields beside the preview."""
        session = self._session(request)
        if session is None:
            return _upload_page(404, error="找不到这份草稿（服务重启后需重新上传）")
        preview = await run_in_threadpool(session.preview)
        return page("draft.html", ident=request.path_params["ident"], session=session, amount=format_amount,
                    groups=_groups(session.draft), preview=_preview_json(session, preview))

    async def preview(self, request: Request) -> Response:
        """POST /draft/{ident}/preview: the typed texts' preview as JSON (``full``: with sources and lint)."""
        session = self._session(request)
        if session is None:
            return JSONResponse({"error": "找不到这份草稿"}, status_code=404)
        try:
            body = json.loads(await _body(request, 1024 * 1024))
            texts = {int(k): str(v)[:TEXT_MOST] for k, v in dict(body.get("texts") or {}).items()}
        except (ValueError, TypeError, AttributeError):
            return JSONResponse({"error": "请求的内容无法读取"}, status_code=400)
        known = {f.number for f in session.draft.fields}
        texts = {k: v for k, v in texts.items() if k in known and v.strip()}
        session.texts = texts
        try:
            preview = await run_in_threadpool(session.preview, bool(body.get("full")), texts)
        except NarratorError as error:  # a typed text the figures file cannot hold
            return JSONResponse({"html": "", "blocked": True, "full": False,
                                 "findings": [finding_json(f) for f in error.findings],
                                 "imported": [finding_json(f) for f in session.findings]})
        self.store.write(request.path_params["ident"], "texts.json",
                         json.dumps({str(k): v for k, v in sorted(texts.items())}, ensure_ascii=False,
                                    indent=1))
        return JSONResponse(_preview_json(session, preview))

    async def download(self, request: Request) -> Response:
        """GET /draft/{ident}/download/{kind}: the .docx, .md, figures or 说明 workbook (kept in the folder too)."""
        session = self._session(request)
        kind = request.path_params["kind"]
        if session is None or kind not in DOWNLOADS:
            return _upload_page(404, error="找不到要下载的文件")
        name, media = DOWNLOADS[kind]
        try:
            data = await run_in_threadpool(_made, session, kind, name, self.store, request.path_params["ident"])
        except NarratorError as error:
            return page("message.html", 400, title="无法下载", message=f"无法生成{name}：", findings=error.findings)
        if data is None:
            return page("message.html", 400, title="无法下载",
                        message=f"数据还不完整，不能生成{name}；请先处理页面上列出的错误。", findings=[])
        self.store.write(request.path_params["ident"], name, data)
        return download(data, name, media)


def _made(session: DraftSession, kind: str, name: str, store: Store, ident: str) -> str | bytes | None:
    """The bytes of one download, as the commands write them; None when the text cannot be written."""
    from ..document.output import convert

    preview = session.preview(full=False)
    if kind == "yaml":
        return preview.figures_text
    if kind == "xlsx":
        from ..workbook.form import build_form

        figures = store.write(ident, "figures.yaml", preview.figures_text)
        workbook = session.workbook if session.workbook.suffix == ".xlsx" else None
        return build_form(figures, prior=session.prior, workbook=workbook, format_name=session.draft.format_name).data
    rendered = preview.gate.rendered
    if rendered is None:
        return None
    if kind == "docx":
        from ..workflow.docxupdate import docx_with_record

        return docx_with_record(rendered, Path(name), preview.figures_text)
    return convert(rendered.text, ".md", rendered.format.name)


def _installed_classification_only(name: str, suffix: str, data: bytes) -> None:
    """Refuse last year's figures naming a classification file of their own (``classification:``):
    over the web only the installed tables are used (the name would be a path on this computer)."""
    if suffix not in (".yaml", ".yml"):
        return
    from ..loading.yamlload import load_yaml_text

    try:
        raw = load_yaml_text(data.decode("utf-8-sig"), name)
    except (NarratorError, UnicodeDecodeError):
        return  # the import says what is wrong with the file
    if isinstance(raw, dict) and raw.get("classification"):
        raise UploadRefused(f"“{name}”用 classification: 指定了自己的科目表，网页中只用 narrator 自带的科目表；"
                            "请删去这一行再上传，或在命令行中用 narrator import --prior")


def _groups(draft: Draft) -> list[tuple[str, list[Any]]]:
    """The fields by table, in the order of the text (section by section)."""
    groups: dict[str, list[Any]] = {}
    for one in draft.fields:
        groups.setdefault(one.table, []).append(one)
    return list(groups.items())


def _preview_json(session: DraftSession, preview: Preview) -> dict[str, Any]:
    """What the page's script shows: the preview's HTML and every finding with its field or line."""
    findings = [finding_json(f, field=preview.fields_of.get(i),
                             line=f.location.line if f.location.path.endswith(".md") else None)
                for i, f in enumerate(preview.findings)]
    markdown = preview.markdown
    return {"html": preview_html(markdown, preview.explained) if markdown is not None else "",
            "blocked": markdown is None, "findings": findings,
            "imported": [finding_json(f) for f in session.findings], "full": bool(preview.explained)}


async def _body(request: Request, most: int) -> bytes:
    """The request's body, refused past ``most`` bytes."""
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > most:
            raise ValueError("too large")
    return data


def _upload_page(status: int = 200, **values: Any) -> Response:
    """The upload form (with the table layouts to choose from), a message above it when given."""
    return page("draft_upload.html", status, layouts=layout_choices(), **values)
