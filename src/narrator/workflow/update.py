"""Regenerating an edited text after its figures changed, keeping people's edits.

A three-way merge, sentence by sentence, of the text as last generated (the base, kept in
the sidecar), the text as people edited it, and the text generated from the new figures:

- a sentence nobody edited takes its new generated form (or goes, if the figures dropped it);
- an edited sentence whose generated form did not change keeps the edit;
- an edited (or deleted) sentence whose generated form changed is a conflict: the new generated
  sentence goes in, and a finding reports both versions and the figures that caused it;
- sentences people added stay where they are; new generated sentences go after the sentence
  that precedes them in the new text.

See docs/update.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding, Location, NarratorError
from .figdiff import Change, causes_of_new, causes_of_old, figure_changes, plain, trace
from ..text.sentences import Unit, align, split_units
from ..lastresort import os_reason

RULE = "edit-conflict"


@dataclass
class _Slot:
    """One unit of the merged text, with the units that are to follow it."""

    unit: Unit
    origin: str  # "generated" | "edited" | "conflict" | "added" | "dropped" (empty text)
    edited: int | None = None  # the unit of the edited text it stands for (replaces, when new)
    new: int | None = None  # the unit of the new text it is, or agrees with
    after: list["_Slot"] = field(default_factory=list)


@dataclass(frozen=True)
class Piece:
    """A unit of the merged text with where it comes from (for writers that keep formatting).

    ``sep`` is the break before it in the merged text. The text is the edited unit ``edited``
    when it equals that unit's text; otherwise it is the new unit ``new`` (which may replace
    the edited unit ``edited``).
    """

    text: str
    sep: str
    edited: int | None
    new: int | None
    line: int = 0  # its line in the merged text (without the blank lines before the text)


@dataclass
class Merged:
    """The merged text and what happened to it."""

    text: str
    conflicts: list[Finding]
    kept_edits: int
    regenerated: int
    pieces: list[Piece] = field(default_factory=list)


def _quote(text: str) -> str:
    return f"“{text.strip()}”" if text.strip() else "（空）"


def merge(base: str, edited: str, new: str, changes: list[Change], shown: str) -> Merged:
    """Merge ``edited`` (people's version of ``base``) with ``new`` (generated from new figures)."""
    lead = edited[:len(edited) - len(edited.lstrip("\n"))]  # blank lines before and after the text,
    tail = edited[len(edited.rstrip("\n")):]  # as people left them
    b, e, n = (_paragraphs(t) for t in (base, edited, new))
    to_new = align(b, n, moves=False)
    to_edited = align(b, e)
    from_edited = {k: i for i, k in to_edited.items()}
    placed: dict[int, _Slot] = {}  # new unit index → its slot
    head: list[_Slot] = []
    order: list[_Slot] = []
    pending_conflicts: list[tuple[_Slot, str]] = []
    kept = regenerated = 0

    def cause_text(i: int | None, text: str) -> str:
        found = causes_of_old(changes, i) if i is not None else causes_of_new(changes, text)
        return "、".join(c.describe() for c in found) or "数据有变"

    for k, unit in enumerate(e):
        i = from_edited.get(k)
        if i is None:
            order.append(_Slot(unit, "added", k))
            continue
        j = to_new.get(i)
        generated_changed = j is None or n[j].text != b[i].text
        if unit.text == b[i].text:
            if j is None:
                order.append(_Slot(Unit("", unit.sep), "dropped", k))
                regenerated += 1
                continue
            slot = _Slot(Unit(n[j].text, _sep(unit, b[i], n[j])), "generated", k, j)
            regenerated += generated_changed
        elif not generated_changed:
            slot = _Slot(unit, "edited", k, j)
            kept += 1
        elif j is not None and n[j].text == unit.text:  # people already wrote what is now generated
            slot = _Slot(unit, "generated", k, j)
        elif j is None:
            slot = _Slot(Unit("", unit.sep), "dropped", k)
            pending_conflicts.append((slot, f"人工改过的句子{_quote(unit.text)}所说的内容在新数据中已没有"
                                            f"（{cause_text(i, '')}），已删去；如仍需要，请自行补回"))
            order.append(slot)
            continue
        else:
            slot = _Slot(Unit(n[j].text, _sep(unit, b[i], n[j])), "conflict", k, j)
            pending_conflicts.append((slot, f"此句人工改过，但它依据的数据变了（{cause_text(i, '')}），"
                                            f"已换成新生成的句子{_quote(n[j].text)}；人工改过的句子是"
                                            f"{_quote(unit.text)}，请核对后把需要的修改补回"))
        placed[j] = slot
        order.append(slot)

    # Generated units with no place yet: new ones, and ones people deleted that changed since.
    reverse = {j: i for i, j in to_new.items()}
    deleted = {i for i in range(len(b)) if i not in to_edited}
    for j, unit in enumerate(n):
        if j in placed:
            continue
        i = reverse.get(j)
        if i is not None and i in deleted and unit.text == b[i].text:
            continue  # people deleted it and the figures did not change it: it stays deleted
        before = next((p for p in range(j - 1, -1, -1) if p in placed), -1)
        if before < j - 1:  # the units between were deleted by people: keep the strongest break
            unit = Unit(unit.text, max((n[q].sep for q in range(before + 1, j + 1)), key=len))
        if i is None:
            slot = _Slot(unit, "generated", None, j)
        elif i in deleted:
            slot = _Slot(unit, "conflict", None, j)
            pending_conflicts.append((slot, f"此句曾被人工删去，但它依据的数据变了（{cause_text(i, '')}），"
                                            f"已放回新生成的句子{_quote(unit.text)}；如仍不需要，请再删去"))
        else:
            continue
        regenerated += 1
        (placed[before].after if before >= 0 else head).append(slot)
        placed[j] = slot

    slots = _flatten(head) + [s for top in order for s in _flatten([top])]
    text, lines, pieces = _join(slots)
    text = lead + text + tail
    conflicts = [Finding(Location(shown, lines[id(slot)] + lead.count("\n"), 1), "warning", RULE, message)
                 for slot, message in pending_conflicts]
    conflicts.sort(key=lambda f: f.location.line)
    return Merged(text, conflicts, kept, regenerated, pieces)


def _paragraphs(text: str) -> list[Unit]:
    """The units of a text without its outer blank lines; the first starts a paragraph too."""
    units = split_units(text.strip("\n"))
    if units:
        units[0] = Unit(units[0].text, "\n\n")  # so that it is one wherever it ends up
    return units


def _sep(edited: Unit, base: Unit, new: Unit) -> str:
    """The break before a regenerated unit: people's, if they changed it, else the new text's."""
    return edited.sep if edited.sep != base.sep else new.sep


def _flatten(slots: list[_Slot]) -> list[_Slot]:
    out = []
    for slot in slots:
        out.append(slot)
        out.extend(_flatten(slot.after))
    return out


def _join(slots: list[_Slot]) -> tuple[str, dict[int, int], list[Piece]]:
    """The text of the slots, each slot's line and the pieces; a dropped unit hands its break on."""
    parts: list[str] = []
    pieces: list[Piece] = []
    lines: dict[int, int] = {}
    line, carry = 1, ""
    for slot in slots:
        # A generated unit has its break from the new text; a person's unit takes over the
        # paragraph break of a dropped unit before it.
        sep = slot.unit.sep if slot.origin in ("generated", "conflict") else max(slot.unit.sep, carry, key=len)
        if not slot.unit.text:  # dropped: its paragraph break, if any, goes to the next unit
            carry = sep
            lines[id(slot)] = line + (sep.count("\n") if parts else 0)
            continue
        carry = ""
        if parts:
            parts.append(sep)
            line += sep.count("\n")
        lines[id(slot)] = line
        pieces.append(Piece(slot.unit.text, sep if parts else "", slot.edited, slot.new, line))
        parts.append(slot.unit.text)
    return "".join(parts), lines, pieces


def update_texts(base: str, edited: str, new: str, old_tree: object, new_tree: object,
                 format_name: str, shown: str, convert: object = None) -> Merged:
    """Merge, tracing only the figures that changed back to the sentences they touch."""
    changes = figure_changes(plain(old_tree), plain(new_tree))
    if changes and base != new:
        trace(changes, plain(old_tree), split_units(base.strip("\n")), format_name, convert)
    return merge(base, edited, new, changes, shown)


@dataclass
class Before:
    """What the document was generated as: the merge base, its figures, format, the figures to use."""

    generated: str
    tree: object
    format: str
    figures: Path


def before_from(document: Path, record: object, from_figures: Path | None, format_name: str | None,
                to_text: object, figures: Path | None) -> Before:
    """The base of the merge: the stored record, or the text rendered from ``from_figures``.

    ``to_text`` turns rendered Markdown into the document's form of text; ``figures`` (the new
    figures) defaults to the file the record names.
    """
    from ..intake.figures import load_figures
    from ..text.formats import DEFAULT_FORMAT
    from ..text.render import render_figures
    from ..loading.yamlload import load_yaml_text

    if record is None and from_figures is None:
        raise NarratorError.at(Location(str(document)), "no-sidecar",
                               f"{document.name} 中没有 narrator 的生成记录（不是 narrator render 写出的，"
                               "或记录已丢失），无法区分人工修改与生成的文字；请用 --from-figures "
                               "给出生成它时所用的数据文件")
    if figures is None and record is None:
        raise NarratorError.at(Location(str(document)), "no-figures", "请用 --figures 给出新的数据文件")
    new_figures = figures if figures is not None else record.figures_path(document)
    chosen = format_name or (record.format if record is not None else DEFAULT_FORMAT)
    if from_figures is not None:
        old = load_figures(from_figures, format_name=chosen)
        return Before(to_text(render_figures(old, chosen).text), old.raw, chosen, new_figures)
    tree = load_yaml_text(record.figures_text, f"{document.name} 中的生成记录（上次的数据）")
    return Before(record.generated, tree, chosen, new_figures)


def update_document(document: Path, figures: Path | None = None, output: Path | None = None,
                    from_figures: Path | None = None, format_name: str | None = None) -> Merged:
    """Regenerate ``document`` from new figures keeping people's edits; write it and its record.

    ``figures`` defaults to the figures file recorded in the sidecar, ``output`` to the document
    itself. Without a sidecar (a text narrator did not write, or whose sidecar is lost), the
    base is rendered from ``from_figures``. A .docx keeps its record inside itself
    (:mod:`narrator.workflow.docxupdate`). Returns the merge with its conflicts (and the new render's
    warnings) as findings.
    """
    from ..intake.figures import load_figures
    from ..document.output import convert, write_all
    from ..text.render import render_figures
    from .sidecar import EDITABLE_KINDS, EMBEDDED_KINDS, read_sidecar, sidecar_path, sidecar_text

    suffix = document.suffix.lower()
    if suffix and suffix not in (*EDITABLE_KINDS, *EMBEDDED_KINDS):
        raise NarratorError.at(Location(str(document)), "file-unreadable", _not_updatable(suffix))
    if suffix in EMBEDDED_KINDS:
        from .docxupdate import update_docx

        return update_docx(document, figures, output, from_figures, format_name)
    kind = document.suffix.lower() or ".md"
    sidecar = read_sidecar(document) if from_figures is None or sidecar_path(document).exists() else None
    if sidecar is not None:
        kind = sidecar.kind
    before = before_from(document, sidecar, from_figures, format_name, lambda text: convert(text, kind), figures)
    output = output if output is not None else document
    check_update_outputs(document, output, before.figures, from_figures, with_record=True)
    edited = read_document(document)
    loaded = load_figures(before.figures, format_name=before.format)
    rendered = render_figures(loaded, before.format)
    new = convert(rendered.text, kind)
    merged = update_texts(before.generated, edited, new, before.tree, loaded.raw, before.format,
                          str(output), convert=lambda text: convert(text, kind))
    write_all([(output, merged.text), (sidecar_path(output), sidecar_text(output, rendered, new))])
    merged.conflicts = merged.conflicts + list(rendered.warnings)
    return merged


def check_update_outputs(document: Path, output: Path, figures: Path, from_figures: Path | None,
                         with_record: bool) -> None:
    """Refuse, before writing, an output that is one of the update's inputs or cannot be written.

    Writing over the document itself (no ``-o``, or ``-o`` the document) is what update is for."""
    from ..document.output import check_outputs
    from .sidecar import sidecar_path

    in_place = os.path.realpath(output) == os.path.realpath(document)
    read = [("数据文件", figures), ("原数据文件（--from-figures）", from_figures)]
    if not in_place:
        read += [("文档", document), ("文档的生成记录", sidecar_path(document))]
    check_outputs([("文档" if in_place else "-o", output),
                   ("生成记录", sidecar_path(output) if with_record else None)], read)


def _not_updatable(suffix: str) -> str:
    """Why a document of this type cannot be updated, and what to do instead."""
    if suffix in (".doc", ".wps", ".rtf"):
        return (f"{suffix} 文件不能更新：请在 Word 或 WPS 中另存为 .docx；另存过其他格式的，生成记录已丢失，"
                "更新时再加 --from-figures 给出生成原文时所用的数据文件")
    return f"{suffix} 文件不能更新：narrator update 更新 narrator 写出的 .docx、.md、.txt 文件"


def read_document(path: Path) -> str:
    """The edited text (UTF-8, GBK, UTF-16 …, as a person's editor saved it); unreadable files are a clear error."""
    from ..loading.yamlload import read_text

    return read_text(path)


def read_bytes(path: Path) -> bytes:
    """A document's bytes; a missing or unreadable file is a clear error."""
    from ..reading import MAX_BYTES
    from ..loading.regular import read_regular

    try:
        return read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise NarratorError.at(Location(str(path)), "file-unreadable", "找不到文件") from None
    except OSError as exc:
        raise NarratorError.at(Location(str(path)), "file-unreadable", f"无法读取文件：{os_reason(exc)}") from None
