"""The sidecar file that lets ``narrator update`` keep people's edits (see docs/update.md).

Beside each generated text ``第三部分.md`` narrator writes ``第三部分.md.narrator.json`` with
what a later three-way merge needs: the text exactly as it was generated (the merge base),
the figures it was generated from (their full text, so that the figures that changed can be
found and each changed sentence traced to them), the figures file's SHA-256 and the format.
The generated text itself carries no hidden markers: people may edit it freely, in any editor.

A Word document carries the same record inside itself, as a custom XML part (see
:mod:`narrator.document.docxpart`): :meth:`Sidecar.to_xml` and :func:`sidecar_from_xml`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Location, NarratorError
from ..document.output import write_atomic
from ..loading.regular import read_regular
from ..text.render import Rendered
from ..loading.yamlload import read_text
from ..lastresort import os_reason

SUFFIX = ".narrator.json"
#: Output types people edit as text, and so the ones ``narrator update`` merges.
EDITABLE_KINDS = (".md", ".markdown", ".txt")
#: Output types that carry the record inside the file (``narrator update`` merges them too).
EMBEDDED_KINDS = (".docx",)
VERSION = 1
FIELDS = ("format", "kind", "figures", "figures_sha256", "figures_text", "generated")
XML_NAMESPACE = "urn:narrator:record:1"
#: A record is the figures text and one generated text: far below these, a hostile one far above.
MAX_BYTES = 20 * 1024 * 1024
MAX_NODES = 1_000_000


@dataclass(frozen=True)
class Sidecar:
    """What was generated, from which figures, in which format."""

    format: str
    kind: str
    figures: str
    figures_sha256: str
    figures_text: str
    generated: str

    def figures_path(self, document: Path) -> Path:
        """The figures file as recorded (relative to the document's folder)."""
        return document.parent / self.figures

    def to_xml(self) -> bytes:
        """The record as the XML of a custom XML part: one element per field, in a namespace."""
        from lxml import etree  # here: only a .docx needs it, and it costs a cold render 10 ms

        root = etree.Element(f"{{{XML_NAMESPACE}}}narrator", nsmap={None: XML_NAMESPACE})
        root.set("version", str(VERSION))
        for name in FIELDS:
            etree.SubElement(root, f"{{{XML_NAMESPACE}}}{name}").text = getattr(self, name)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def sidecar_from_xml(data: bytes, shown: str) -> Sidecar:
    """The record stored in a document's custom XML part; a damaged one is a clear error."""
    from lxml import etree

    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise NarratorError.at(Location(shown), "bad-sidecar", f"文档中 narrator 的生成记录已损坏：{exc}") from None
    values = {name: root.findtext(f"{{{XML_NAMESPACE}}}{name}") for name in FIELDS}
    if root.get("version") != str(VERSION) or any(value is None for value in values.values()):
        raise NarratorError.at(Location(shown), "bad-sidecar",
                               "文档中 narrator 的生成记录不是本版本 narrator 写出的（或已损坏）")
    record = Sidecar(**values)
    if hashlib.sha256(record.figures_text.encode("utf-8")).hexdigest() != record.figures_sha256:
        raise NarratorError.at(Location(shown), "bad-sidecar",
                               "文档中 narrator 的生成记录已损坏（所记数据与其校验值不符）")
    check_record(record, shown, EMBEDDED_KINDS)
    return record


def sidecar_path(document: Path | str) -> Path:
    """``第三部分.md`` → ``第三部分.md.narrator.json``."""
    document = Path(document)
    return document.with_name(document.name + SUFFIX)


def make_sidecar(document: Path, rendered: Rendered, generated: str, figures_text: str) -> Sidecar:
    """The sidecar of ``document``, generated as ``generated`` from ``rendered``'s figures."""
    source = Path(rendered.figures.path)
    try:
        relative = os.path.relpath(source.resolve(), document.resolve().parent)
    except ValueError:  # another drive (Windows): no relative path exists
        relative = str(source.resolve())
    return Sidecar(
        format=rendered.format.name,
        kind=document.suffix.lower() or ".md",
        figures=Path(relative).as_posix(),
        figures_sha256=hashlib.sha256(figures_text.encode("utf-8")).hexdigest(),
        figures_text=figures_text,
        generated=generated,
    )


def sidecar_text(document: Path | str, rendered: Rendered, generated: str, figures_text: str | None = None) -> str:
    """The JSON text of the sidecar of ``document``; the figures text is read if not given."""
    document = Path(document)
    if figures_text is None:
        figures_text = read_text(rendered.figures.path)
    sidecar = make_sidecar(document, rendered, generated, figures_text)
    data = {"narrator_sidecar": VERSION, **sidecar.__dict__}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_sidecar(document: Path | str, rendered: Rendered, generated: str,
                  figures_text: str | None = None) -> None:
    """Write the sidecar of ``document`` (atomically); the figures text is read if not given."""
    write_atomic(sidecar_path(document), sidecar_text(document, rendered, generated, figures_text))


def read_sidecar(document: Path | str) -> Sidecar:
    """The sidecar of ``document``; a missing or damaged one is a clear error."""
    path = sidecar_path(document)
    shown = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise NarratorError.at(Location(shown), "bad-sidecar",
                                   f"{path.name} 太大（超过 {MAX_BYTES // (1024 * 1024)} MB），不是 narrator 写出的记录文件")
        data = json.loads(read_regular(path, MAX_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise NarratorError.at(Location(str(document)), "no-sidecar",
                               f"找不到 {path.name}：它由 narrator render -o 与文档一起写出，"
                               f"记录上次生成的文字；没有它无法保留人工修改。"
                               f"如有生成它时所用的数据文件，可用 --from-figures 给出") from None
    except OSError as exc:
        raise NarratorError.at(Location(shown), "bad-sidecar", f"无法读取 {path.name}：{os_reason(exc)}") from None
    except UnicodeDecodeError:
        raise NarratorError.at(Location(shown), "bad-sidecar", f"无法读取 {path.name}：不是 UTF-8 文本") from None
    except json.JSONDecodeError as exc:
        raise NarratorError.at(Location(shown, exc.lineno, exc.colno), "bad-sidecar",
                               f"无法读取 {path.name}：不是有效的 JSON") from None
    if not isinstance(data, dict) or data.get("narrator_sidecar") != VERSION or \
            not all(isinstance(data.get(k), str) for k in FIELDS):
        raise NarratorError.at(Location(shown), "bad-sidecar",
                               f"{path.name} 不是本版本 narrator 写出的记录文件（或已损坏）")
    record = Sidecar(**{k: data[k] for k in FIELDS})
    check_record(record, shown, EDITABLE_KINDS)  # a Word document keeps its record inside itself
    return record


def check_record(record: Sidecar, shown: str, kinds: tuple[str, ...]) -> None:
    """Validate a record before anything in it is used: its kind, its checksum, and that its
    figures text does not expand (YAML aliases) into more than :data:`MAX_NODES` values."""
    if record.kind not in kinds:
        raise NarratorError.at(Location(shown), "bad-sidecar",
                               f"记录中的文件类型 “{record.kind}” 无效（应为 {'、'.join(kinds)}）")
    if hashlib.sha256(record.figures_text.encode("utf-8")).hexdigest() != record.figures_sha256:
        raise NarratorError.at(Location(shown), "bad-sidecar", "记录已损坏（所记数据与其校验值不符）")
    if _expanded_size(record.figures_text) > MAX_NODES:
        raise NarratorError.at(Location(shown), "bad-sidecar",
                               f"记录中的数据展开后超过 {MAX_NODES} 个值（YAML 别名层层引用），不予处理")


def _expanded_size(text: str) -> int:
    """How many values ``text`` would have with every alias expanded, counted on the composed
    graph (an alias is a shared node there), so a billion-value alias bomb is counted, not built."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return 0  # not YAML the loader accepts: the figures loader says what is wrong
    sizes: dict[int, int] = {}
    pending = [(root, False)] if root is not None else []
    while pending:  # iterative: a deeply nested text must not exhaust the stack here
        node, expanded = pending.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not expanded and children:
            pending.append((node, True))
            pending.extend((child, False) for child in children if id(child) not in sizes)
            continue
        sizes[id(node)] = min(1 + sum(sizes.get(id(c), 1) for c in children), MAX_NODES + 1)
    return sizes.get(id(root), 0)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
