"""narrator's record inside a Word document: a custom XML part (``/customXml/itemN.xml``).

``narrator update`` needs what was generated and from which figures (see :mod:`narrator.workflow.sidecar`).
A .docx is e-mailed, edited in Word or WPS and saved again, so a file beside it would be lost;
the record travels inside the package instead, as a custom XML data part related to the main
document part, with its item-properties part — the place Office keeps data of add-ins and
document libraries. Word, WPS and LibreOffice keep such parts when they save a document
(LibreOffice checked by ``tests/test_docx_update.py``). The part is found again by the namespace
of its root element, wherever a saving application renumbered it.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from typing import Any

from docx.opc.part import Part
from lxml import etree

CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def _root_namespace(blob: bytes) -> str | None:
    try:
        return etree.QName(etree.fromstring(blob)).namespace
    except (etree.XMLSyntaxError, ValueError):
        return None


def find_part(doc: Any, namespace: str) -> Part | None:
    """The custom XML part of an open document whose root element is in ``namespace``."""
    for rel in doc.part.rels.values():
        if rel.reltype == CUSTOM_XML and not rel.is_external and _root_namespace(rel.target_part.blob) == namespace:
            return rel.target_part
    return None


def set_part(doc: Any, namespace: str, xml: bytes) -> None:
    """Store ``xml`` (root element in ``namespace``) in the document: replace the part or add one."""
    part = find_part(doc, namespace)
    if part is not None:
        part._blob = xml  # a plain Part keeps its bytes here; there is no public setter
        return
    package = doc.part.package
    part = Part(package.next_partname("/customXml/item%d.xml"), "application/xml", xml, package)
    doc.part.relate_to(part, CUSTOM_XML)
    # The item properties name the data's schema and give the item an id, as Word writes them.
    props = etree.Element(f"{{{_DS}}}datastoreItem", nsmap={"ds": _DS})
    props.set(f"{{{_DS}}}itemID", "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, namespace)).upper() + "}")
    refs = etree.SubElement(props, f"{{{_DS}}}schemaRefs")
    etree.SubElement(refs, f"{{{_DS}}}schemaRef").set(f"{{{_DS}}}uri", namespace)
    blob = etree.tostring(props, xml_declaration=True, encoding="UTF-8", standalone=False)
    props_name = package.next_partname("/customXml/itemProps%d.xml")
    part.relate_to(Part(props_name, PROPS_TYPE, blob, package), CUSTOM_XML_PROPS)


MAX_PART = 50 * 1024 * 1024  # the record part holds a figures file and a text: far less than this


def read_part(data: bytes, namespace: str) -> bytes | None:
    """The custom XML part in ``namespace`` of a .docx file's bytes (None if it has none).

    Read straight from the zip: cheaper than opening the document, and independent of how a
    saving application numbered or related the parts.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for info in package.infolist():
                name = info.filename
                if name.lower().startswith("customxml/") and "/" not in name[len("customxml/"):] \
                        and not name.lower().startswith("customxml/itemprops") and info.file_size <= MAX_PART:
                    blob = package.read(info)  # zipfile stops at the declared size
                    if _root_namespace(blob) == namespace:
                        return blob
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None
