"""Writing a merged text back into the edited Word document, keeping people's formatting.

The merge (:mod:`narrator.workflow.update`) says, for each sentence of the result, which sentence of the
edited document it is, or which new sentence it is (and which edited one it replaces). The
edited document is changed in place, paragraph by paragraph:

- a paragraph whose sentences are all kept as they were stays exactly as it is (runs, styles,
  bookmarks, comments);
- a paragraph with a new sentence is rebuilt on the paragraph it was: its paragraph properties,
  copies of the runs of its kept sentences (a run that spans a sentence boundary is cut there),
  and each new sentence in one run formatted as the first run of the sentence it replaces (or
  of the run before it);
- a new paragraph is formatted as the last paragraph of people's that is of its kind (the same
  style in the new rendering: a heading as a heading, body text as body text); if there is none,
  it takes its style from the new rendering (the style of the same name in the edited document,
  copied over if it has none). It goes after the paragraph before it;
- a table is one unit: kept as it is, or replaced by the new table.

Paragraphs whose sentences all went are removed; empty paragraphs, pictures and section
properties between paragraphs are left where they are.
"""

from __future__ import annotations

import copy
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .docxtext import TABLE_MARK, Block, paragraph_block

_STYLE_REFS = (qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))


class Rebuild:
    """The edited document being rewritten from the merge's pieces."""

    def __init__(self, doc: Any, blocks: list[Block], places: list[tuple[int, int, int]],
                 new_doc: Any, new_blocks: list[Block], new_places: list[tuple[int, int, int]]) -> None:
        self.doc, self.blocks, self.places = doc, blocks, places
        self.new_doc, self.new_blocks, self.new_places = new_doc, new_blocks, new_places
        self.used: set[int] = set()
        self.anchor: Any = None
        self.head = next((b.element for b in blocks if b.text), None)
        self.styles = _StyleMap(new_doc, doc)
        self.written: list[tuple[list, Any]] = []  # each paragraph's pieces and its element
        self.models: dict[str, Any] = {}  # new rendering's style id → people's last such paragraph

    def apply(self, pieces: list) -> None:
        """Rewrite the document so that its text is the pieces' (see the module docstring)."""
        for group in _paragraphs(pieces):
            if group[0].text.startswith(TABLE_MARK):
                self._table(group[0])
            else:
                self._paragraph(group)
            self.written.append((group, self.anchor))
        for index, block in enumerate(self.blocks):
            if block.text and index not in self.used:
                block.element.getparent().remove(block.element)

    def paragraph_numbers(self) -> dict[int, int]:
        """Merged-text line → the number of its paragraph in the document (tables: the one before).

        Paragraphs are counted in the body from 1, as :mod:`narrator.reading.docx` counts them.
        """
        numbers, count = {}, 0
        for child in self.doc.element.body.iterchildren():
            count += child.tag == qn("w:p")
            numbers[child] = count
        return {piece.line: numbers.get(element, 0) for group, element in self.written for piece in group}

    def _kept(self, piece: Any) -> bool:
        return piece.edited is not None and self._edited_text(piece.edited) == piece.text

    def _edited_text(self, k: int) -> str:
        index, start, end = self.places[k]
        block = self.blocks[index]
        return block.text[start - block.lead:end - block.lead] if not block.is_table else block.text

    def _place(self, element: Any, host: int | None) -> None:
        """Put ``element`` where the host block is (replacing it), else after the last one written."""
        if host is not None and host not in self.used:
            old = self.blocks[host].element
            if old is not element:
                old.addprevious(element)
                old.getparent().remove(old)
            self.used.add(host)
        elif self.anchor is not None:
            self.anchor.addnext(element)
        elif self.head is not None:
            self.head.addprevious(element)
        else:
            body = self.doc.element.body
            last = body.find(qn("w:sectPr"))
            last.addprevious(element) if last is not None else body.append(element)
        self.anchor = element

    def _table(self, piece: Any) -> None:
        host = self.places[piece.edited][0] if piece.edited is not None else None
        if host is not None and not self.blocks[host].is_table:
            host = None
        if self._kept(piece) and host is not None:
            self._place(self.blocks[host].element, host)
            return
        element = copy.deepcopy(self.new_blocks[self.new_places[piece.new][0]].element)
        self.styles.remap(element)
        self._place(element, host)

    def _paragraph(self, group: list) -> None:
        host = next((self.places[p.edited][0] for p in group if p.edited is not None), None)
        if host is not None and self.blocks[host].is_table:
            host = None
        if host is not None and host not in self.used and all(self._kept(p) for p in group) \
                and {self.places[p.edited][0] for p in group} == {host} \
                and "".join(p.sep + p.text for p in group) == self.blocks[host].text:
            self._place(self.blocks[host].element, host)
            self._remember(group, self.blocks[host].element)
            return
        p = OxmlElement("w:p")
        model = self._model(group) if host is None else None
        source = self.blocks[host].element if host is not None else model
        if source is None:  # a new paragraph: the new rendering's paragraph, in its style
            source = self.new_blocks[self.new_places[group[0].new][0]].element
        ppr = source.find(qn("w:pPr"))
        if ppr is not None:
            ppr = copy.deepcopy(ppr)
            if host is None and model is None:
                self.styles.remap(ppr)
            p.append(ppr)
        indented = self.blocks[host] if host is not None and host not in self.used else \
            paragraph_block(model) if model is not None else None
        if indented is not None:  # people's indent of spaces stays (or is copied from the model)
            for segment in indented.runs_between(0, indented.lead):
                p.append(_clip(segment, 0, indented.lead))
        for index, piece in enumerate(group):
            if index and "\n" in piece.sep:
                p.append(_run("\n", _last_rpr(p)))
            if self._kept(piece):
                where, start, end = self.places[piece.edited]
                for segment in self.blocks[where].runs_between(start, end):
                    p.append(_clip(segment, start, end))
                continue
            rpr = self._replaced_rpr(piece) if piece.edited is not None else _last_rpr(p)
            if rpr is None and source is not None and source is not self._new_element(group[0]):
                rpr = _last_rpr(source)
            if rpr is not None or host is not None or model is not None:
                p.append(_run(piece.text, rpr))
                continue
            where, start, end = self.new_places[piece.new]  # no formatting of people's to follow
            for segment in self.new_blocks[where].runs_between(start, end):
                run = _clip(segment, start, end)
                self.styles.remap(run)
                p.append(run)
        self._place(p, host)
        if host is not None:
            self._remember(group, p)

    def _new_element(self, piece: Any) -> Any:
        return self.new_blocks[self.new_places[piece.new][0]].element if piece.new is not None else None

    def _kind(self, piece: Any) -> str | None:
        """The style id of the new rendering's paragraph a piece is in (its kind: heading, body …)."""
        element = self._new_element(piece)
        ppr = element.find(qn("w:pPr")) if element is not None else None
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return style.get(qn("w:val")) if style is not None else "" if element is not None else None

    def _model(self, group: list) -> Any:
        """People's last paragraph of the kind of this new one (None if there is none yet)."""
        return self.models.get(self._kind(group[0]))

    def _remember(self, group: list, element: Any) -> None:
        """A paragraph of people's, as the model of new paragraphs of its kind."""
        kinds = {self._kind(piece) for piece in group} - {None}
        if len(kinds) == 1:
            self.models[kinds.pop()] = element

    def _replaced_rpr(self, piece: Any) -> Any:
        """The formatting of the first run of the edited sentence a new one replaces."""
        where, start, end = self.places[piece.edited]
        segments = [s for s in self.blocks[where].runs_between(start, max(end, start + 1)) if s.end > s.start]
        return segments[0].run.find(qn("w:rPr")) if segments else None


def _paragraphs(pieces: list) -> list[list]:
    """The pieces grouped by paragraph (a blank line starts one; a table is one on its own)."""
    groups: list[list] = []
    for piece in pieces:
        table = piece.text.startswith(TABLE_MARK)
        if not groups or piece.sep.count("\n") >= 2 or table or groups[-1][-1].text.startswith(TABLE_MARK):
            groups.append([piece])
        else:
            groups[-1].append(piece)
    return groups


def _clip(segment: Any, start: int, end: int) -> Any:
    """A copy of a run holding only raw characters ``start``..``end`` of its paragraph."""
    run = copy.deepcopy(segment.run)
    if segment.start < start or segment.end > end:
        text = segment.run.text or ""
        run.text = text[max(start, segment.start) - segment.start:min(end, segment.end) - segment.start]
    return run


def _run(text: str, rpr: Any) -> Any:
    run = OxmlElement("w:r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    run.text = text  # python-docx's run: tabs and line breaks become w:tab and w:br
    return run


def _last_rpr(p: Any) -> Any:
    """The formatting of the last run with text in a paragraph (None if it has none)."""
    for run in reversed(list(p.iter(qn("w:r")))):
        if run.text:
            return run.find(qn("w:rPr"))
    return None


class _StyleMap:
    """Style ids of the new rendering → the ids of the styles of the same name in the edited document."""

    def __init__(self, source: Any, target: Any) -> None:
        self.source = {s.get(qn("w:styleId")): s for s in source.styles.element.iterchildren(qn("w:style"))}
        self.target_root = target.styles.element
        self.by_name = {_name(s): s.get(qn("w:styleId")) for s in self.target_root.iterchildren(qn("w:style"))}
        self.mapped: dict[str, str] = {}

    def remap(self, element: Any) -> None:
        for ref in element.iter(*_STYLE_REFS):
            ref.set(qn("w:val"), self.style_id(ref.get(qn("w:val"))))

    def style_id(self, source_id: str) -> str:
        """The edited document's id for a style of the new rendering; copied in if it has none."""
        if source_id in self.mapped:
            return self.mapped[source_id]
        style = self.source.get(source_id)
        if style is None:
            return source_id
        found = self.by_name.get(_name(style))
        if found is None:
            found = source_id
            existing = {s.get(qn("w:styleId")) for s in self.target_root.iterchildren(qn("w:style"))}
            while found in existing:
                found += "N"
            added = copy.deepcopy(style)
            added.set(qn("w:styleId"), found)
            self.mapped[source_id] = found  # before the styles it refers to: they may refer back
            self.by_name[_name(style)] = found
            for ref in added.iter(qn("w:basedOn"), qn("w:next"), qn("w:link")):
                ref.set(qn("w:val"), self.style_id(ref.get(qn("w:val"))))
            self.target_root.append(added)
        self.mapped[source_id] = found
        return found


def _name(style: Any) -> str:
    name = style.find(qn("w:name"))
    return (name.get(qn("w:val")) if name is not None else style.get(qn("w:styleId"))).lower()
