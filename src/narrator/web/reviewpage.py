"""The reviewer's page: drop PDF, Word or text files, see each finding beside its sentence.

Every file is reviewed as ``narrator review`` does (:func:`narrator.review.batch.review_one`),
under the name it was uploaded with; the page is built from the same paragraphs and highlighted
sentences as the HTML report. A finding can be accepted with a note (kept with the review and
written into the downloaded reports); the reports are those of ``narrator review -r``.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ..errors import LEVEL_NAMES
from ..review.batch import FileReview, ReviewJob, review_one
from ..review.html import paragraphs, render_html
from ..review.report import CSV_COLUMNS, report_data
from .pages import download, page
from .safety import Limits, UploadRefused, form_of, read_upload
from .store import Store

DOCUMENTS = {".pdf": "PDF", ".docx": "Word 文档", ".txt": "文本", ".md": "Markdown 文本"}
NOTE_MOST = 500
REPORTS = {"html": ("审查报告.html", "text/html; charset=utf-8"), "csv": ("审查报告.csv", "text/csv; charset=utf-8"),
           "json": ("审查报告.json", "application/json; charset=utf-8")}


@dataclass
class ReviewSession:
    """The results of one upload, and the findings accepted so far: (file, finding) → note."""

    results: list[FileReview]
    accepted: dict[tuple[int, int], str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class ReviewPages:
    """The routes of the review page, over a :class:`Store`."""

    def __init__(self, store: Store, limits: Limits, profile: str | None = "national") -> None:
        self.store = store
        self.limits = limits
        self.profile = profile

    async def upload_form(self, request: Request) -> Response:
        """GET /review: the drop box."""
        return page("review_upload.html", kinds=DOCUMENTS, limits=self.limits)

    async def upload(self, request: Request) -> Response:
        """POST /review: store and review every uploaded file, then go to the results (or say why not)."""
        try:
            form = await form_of(request, self.limits)
            uploads = [item for item in form.getlist("files") if getattr(item, "filename", "")]
            if not uploads:
                raise UploadRefused("没有选择文件")
            read = [await read_upload(item, DOCUMENTS, self.limits) for item in uploads]
        except UploadRefused as refused:
            return page("review_upload.html", 400, kinds=DOCUMENTS, limits=self.limits, error=refused.message)
        ident, _ = self.store.place("review")
        jobs = []
        for number, (name, suffix, data) in enumerate(read, 1):
            path = self.store.write(ident, f"upload{number}{suffix}", data)
            jobs.append(ReviewJob(path, None, None, frozenset(), self.profile, name))
        results = await run_in_threadpool(lambda: [review_one(job) for job in jobs])
        self.store.keep(ident, ReviewSession(results))
        return RedirectResponse(f"/review/{ident}", status_code=303)

    def _session(self, request: Request) -> ReviewSession | None:
        return self.store.get(request.path_params["ident"], ReviewSession)

    async def show(self, request: Request) -> Response:
        """GET /review/{ident}: each file's findings beside their sentences."""
        session = self._session(request)
        if session is None:
            return page("review_upload.html", 404, kinds=DOCUMENTS, limits=self.limits,
                        error="找不到这次审查（服务重启后需重新上传）")
        files = []
        for number, result in enumerate(session.results):
            shown, rest = paragraphs(result)
            files.append({"number": number, "path": result.path, "error": result.error, "paragraphs": shown,
                          "rest": rest, "counts": [(LEVEL_NAMES[k], k, result.count(k)) for k in LEVEL_NAMES]})
        rules = sorted({f.rule for r in session.results for f in r.findings})
        return page("review.html", ident=request.path_params["ident"], files=files, rules=rules,
                    levels=LEVEL_NAMES, accepted={f"{k[0]}-{k[1]}": v for k, v in session.accepted.items()})

    async def accept(self, request: Request) -> Response:
        """POST /review/{ident}/accept: accept a finding with a note (or take the acceptance back)."""
        session = self._session(request)
        if session is None:
            return JSONResponse({"error": "找不到这次审查"}, status_code=404)
        try:
            body = json.loads(await request.body() or b"{}")
            key = (int(body["file"]), int(body["finding"]))
            if not (0 <= key[0] < len(session.results) and 0 <= key[1] < len(session.results[key[0]].findings)):
                raise ValueError(key)
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "请求的内容无法读取"}, status_code=400)
        with session.lock:
            if body.get("accepted", True):
                session.accepted[key] = str(body.get("note") or "")[:NOTE_MOST]
            else:
                session.accepted.pop(key, None)
        self.store.write(request.path_params["ident"], "accepted.json", _accepted_json(session))
        return JSONResponse({"accepted": len(session.accepted)})

    async def report(self, request: Request) -> Response:
        """GET /review/{ident}/report/{kind}: the HTML, CSV or JSON report, also kept in the folder."""
        session = self._session(request)
        kind = request.path_params["kind"]
        if session is None or kind not in REPORTS:
            return page("review_upload.html", 404, kinds=DOCUMENTS, limits=self.limits, error="找不到要下载的报告")
        name, media = REPORTS[kind]
        with session.lock:
            data = {"html": lambda: render_html(session.results, 0, session.accepted), "csv": lambda: _csv(session),
                    "json": lambda: _json(session)}[kind]()
        self.store.write(request.path_params["ident"], name, data)
        return download(data, name, media)


def _accepted_json(session: ReviewSession) -> str:
    return json.dumps([{"file": f, "finding": i, "note": n} for (f, i), n in sorted(session.accepted.items())],
                      ensure_ascii=False, indent=1)


def _json(session: ReviewSession) -> str:
    """The JSON report of ``narrator review``, each accepted finding marked with its note."""
    data = report_data(session.results)
    for number, entry in enumerate(data["files"]):
        for index, finding in enumerate(entry["findings"]):
            if (number, index) in session.accepted:
                finding["accepted"] = {"note": session.accepted[(number, index)]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _csv(session: ReviewSession) -> str:
    """The CSV report of ``narrator review`` with two more columns: 已确认 and 备注."""
    from ..document.csvcells import csv_text
    from ..review.report import finding_row

    rows: list[list[Any]] = []
    for number, r in enumerate(session.results):
        rows.extend(finding_row(f, "") + ["", ""] for f in r.error)
        for index, f in enumerate(r.findings):
            note = session.accepted.get((number, index))
            rows.append(finding_row(f, r.sentence(index)) + (["是", note] if note is not None else ["", ""]))
    return csv_text(CSV_COLUMNS + ["已确认", "备注"], rows)
