"""``narrator render -o x.docx`` and ``narrator update x.docx``: the Word round trip.

Rendering a .docx stores narrator's record (:class:`narrator.workflow.sidecar.Sidecar`: the text as
generated, the figures' text, their SHA-256, the format) inside the file as a custom XML part,
so the document can be e-mailed, edited in Word or WPS, saved, and updated later. The merge is
the one of Markdown documents (:mod:`narrator.workflow.update`), on the document's text as
:mod:`narrator.document.docxtext` reads it; the result is written back into the edited document
by :mod:`narrator.document.docxmerge`, which keeps people's formatting.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..document.docxtext import TABLE_MARK
from ..errors import Finding, Location, NarratorError
from ..text.render import Rendered
from .sidecar import XML_NAMESPACE, Sidecar, make_sidecar, sidecar_from_xml
from .update import Before, Merged, before_from, update_texts
from ..loading.yamlload import read_text


def docx_with_record(rendered: Rendered, document: Path, figures_text: str | None = None) -> bytes:
    """The rendered text as a .docx file carrying narrator's record of it."""
    from ..document.docx import markdown_to_docx
    from ..document.docxtext import markdown_text

    if figures_text is None:
        figures_text = read_text(rendered.figures.path)  # in whichever encoding the figures were read
    record = make_sidecar(document, rendered, markdown_text(rendered.text), figures_text)
    return markdown_to_docx(rendered.text, rendered.format.name, record=(XML_NAMESPACE, record.to_xml()))


def read_record(data: bytes, shown: str) -> Sidecar | None:
    """The record stored in a .docx file's bytes, or None if it has none."""
    from ..document.docxpart import read_part

    xml = read_part(data, XML_NAMESPACE)
    return sidecar_from_xml(xml, shown) if xml is not None else None


def recorded_figures(document: Path) -> tuple[object, str]:
    """The figures (loaded) and format a .docx was generated from, as its record gives them."""
    from ..intake.figures import load_figures_text
    from .update import read_bytes

    record = read_record(read_bytes(document), str(document))
    if record is None:
        raise NarratorError.at(Location(str(document)), "no-sidecar",
                               f"{document.name} 中没有 narrator 的生成记录（不是 narrator render 写出的，"
                               "或记录已丢失），请直接给出生成它时所用的数据文件")
    return load_figures_text(record.figures_text, f"{document}（生成记录中的数据）", record.format), record.format


def _open(data: bytes, shown: str):
    from docx import Document

    from ..reading.docx import check_docx

    check_docx(data, shown)
    try:
        return Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on a broken package  # noqa: BLE001
        raise NarratorError.at(Location(shown), "file-unreadable",
                               "Word 文件已损坏或不是 .docx 格式，无法打开（.doc 文件请先另存为 .docx）") from None


def update_docx(document: Path, figures: Path | None = None, output: Path | None = None,
                from_figures: Path | None = None, format_name: str | None = None) -> Merged:
    """Regenerate a .docx from new figures keeping people's edits and formatting; write it.

    The base is the record inside the document, or the text rendered from ``from_figures``
    (for a document narrator did not write). The written document carries the new record.
    """
    from ..document.docx import markdown_to_docx
    from ..document.docxmerge import Rebuild
    from ..document.docxpart import set_part
    from ..document.docxtext import blocks_text, body_blocks, markdown_text, unit_places
    from ..intake.figures import load_figures
    from ..document.output import write_atomic
    from ..text.render import render_figures
    from .update import check_update_outputs, read_bytes

    shown = str(document)
    data = read_bytes(document)
    edited_doc = _open(data, shown)
    record = read_record(data, shown)
    before: Before = before_from(document, record, from_figures, format_name, markdown_text, figures)
    output = output if output is not None else document
    check_update_outputs(document, output, before.figures, from_figures, with_record=False)
    loaded = load_figures(before.figures, format_name=before.format)
    rendered = render_figures(loaded, before.format)
    new_doc = _open(markdown_to_docx(rendered.text, before.format), "（新生成的文档）")
    blocks, new_blocks = body_blocks(edited_doc), body_blocks(new_doc)
    new_text = blocks_text(new_blocks)
    merged = update_texts(before.generated, blocks_text(blocks), new_text, before.tree, loaded.raw,
                          before.format, str(output), convert=markdown_text)
    rebuild = Rebuild(edited_doc, blocks, unit_places(blocks), new_doc, new_blocks, unit_places(new_blocks))
    rebuild.apply(merged.pieces)
    merged.conflicts = _in_paragraphs(merged.conflicts, rebuild.paragraph_numbers())
    figures_text = read_text(rendered.figures.path)
    set_part(edited_doc, XML_NAMESPACE, make_sidecar(output, rendered, new_text, figures_text).to_xml())
    buffer = io.BytesIO()
    edited_doc.save(buffer)
    write_atomic(output, buffer.getvalue())
    merged.conflicts = merged.conflicts + list(rendered.warnings)
    return merged


def _in_paragraphs(findings: list[Finding], numbers: dict[int, int]) -> list[Finding]:
    """Findings placed at lines of the merged text, placed at paragraphs of the document instead."""
    lines = sorted(numbers)
    placed = []
    for finding in findings:
        line = finding.location.line
        nearest = max((n for n in lines if n <= line), default=lines[0] if lines else 0)
        placed.append(Finding(Location(finding.location.path, numbers.get(nearest, 0), 1),
                              finding.level, finding.rule, finding.message.replace(f"的句子“{TABLE_MARK}", "的表格“")))
    return placed
