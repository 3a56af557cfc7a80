"""Makers of the hostile suite's files that cannot be written inline in cases.yaml.

Each maker is ``maker(path, **arguments)``: it makes ``path`` (a file, a folder, a link or a
pipe) inside a case's folder. ``cases.yaml`` names them under ``make:``; they must be
deterministic and quick (the 1 GB cell is deflated once, as one repeated block).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "atushi-2025.yaml"
WORKBOOK = ROOT / "tests" / "fixtures" / "atushi-2025.xlsx"
TEMPLATES = ROOT / "templates"


# -- workbooks -------------------------------------------------------------------------------------

def workbook(path: Path, department: str | None = None) -> None:
    """The Atushi tables (表1–表11); ``department`` replaces what follows 编制部门： on every sheet."""
    if department is None:
        shutil.copy(WORKBOOK, path)
        return
    import openpyxl

    book = openpyxl.load_workbook(WORKBOOK)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(max_row=5):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("编制部门："):
                    cell.value = "编制部门：" + department
    book.save(path)


def far_cell_workbook(path: Path) -> None:
    """A small .xlsx (about 5 KB) whose one sheet claims a cell at XFD1048576."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "编制部门：甲局"
    book.active["XFD1048576"] = 1
    book.save(path)


def _member(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def _bomb_sheet(prefix: bytes, suffix: bytes, megabytes: int) -> tuple[bytes, int, int]:
    """Deflated ``prefix + 'a' * megabytes MB + suffix``: one full-flushed block, repeated."""
    chunk = b"a" * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # the window is reset each time
    tail = packer.compress(suffix) + packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    return head + block * megabytes + tail, crc, len(prefix) + len(suffix) + megabytes * (1 << 20)


def _write_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> None:
    """A zip of deflated members (name, data, crc, size, size written in the headers)."""
    local, central = bytearray(), bytearray()
    for name, data, crc, _size, stated in members:
        raw = name.encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), stated, len(raw), 0)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), stated,
                               len(raw), 0, 0, 0, 0, 0, len(local)) + raw
        local += header + raw + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))


def bomb_workbook(path: Path, megabytes: int = 1024, lie: bool = False, kind: str = "xlsx") -> None:
    """A .xlsx (or .docx) of about 1 MB whose one cell (or paragraph) holds ``megabytes`` MB of text.

    With ``lie`` the zip's headers state a small size for that part (the real size is only
    found by decompressing it).
    """
    import io
    import zipfile

    plain = io.BytesIO()
    if kind == "docx":
        import docx

        document = docx.Document()
        document.add_paragraph("x")
        document.save(plain)
        part, cell = "word/document.xml", (b"<w:t>x</w:t>", b"<w:t>", b"</w:t>")
    else:
        import openpyxl

        book = openpyxl.Workbook()
        book.active["A1"] = "x"
        book.save(plain)
        part, cell = "xl/worksheets/sheet1.xml", (b"<t>x</t>", b"<t>", b"</t>")
    members = []
    with zipfile.ZipFile(plain) as source:
        for name in source.namelist():
            data = source.read(name)
            if name == part:
                prefix, suffix = data.split(cell[0])
                packed, crc, size = _bomb_sheet(prefix + cell[1], cell[2] + suffix, megabytes)
                members.append((name, packed, crc, size, 4096 if lie else size))
            else:
                members.append((*_member(name, data), len(data)))
    _write_zip(path, members)


# -- special files ---------------------------------------------------------------------------------

def fifo(path: Path) -> None:
    """A named pipe nobody writes into (opening it to read would block forever)."""
    os.mkfifo(path)


def symlink(path: Path, target: str) -> None:
    """A symbolic link to ``target`` (relative to the link's folder; it may not exist)."""
    path.symlink_to(target)


def hardlink(path: Path, target: str) -> None:
    """A second name for the file ``target`` (in the same folder)."""
    os.link(path.parent / target, path)


def unreadable(path: Path) -> None:
    """A figures file nobody may read (the suite drops root's override of permissions)."""
    shutil.copy(EXAMPLE, path)
    path.chmod(0)


def read_only_folder(path: Path) -> None:
    """A folder nobody may write into (the suite drops root's override of permissions)."""
    path.mkdir()
    path.chmod(0o555)


def folder(path: Path) -> None:
    """An empty folder."""
    path.mkdir()


def big_file(path: Path, megabytes: int = 50) -> None:
    """A figures file of ``megabytes`` MB: the example, then comment lines."""
    line = "# " + "注释" * 48 + "\n"
    text = EXAMPLE.read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as out:
        out.write(text)
        out.write(line * (megabytes * (1 << 20) // len(line.encode())))


def long_line(path: Path, length: int = 80_000, char: str = "一") -> None:
    """A text of one line of ``length`` characters, without punctuation."""
    path.write_text(char * length + "\n", encoding="utf-8")


def nested_brackets(path: Path, depth: int = 400) -> None:
    """A figures file whose year is ``depth`` nested lists."""
    path.write_text("year: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")


def huge_integer(path: Path, digits: int = 4301) -> None:
    """The example with an amount of ``digits`` nines."""
    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(text.replace("    amount: 214.20", "    amount: " + "9" * digits, 1), encoding="utf-8")


# -- user formats ----------------------------------------------------------------------------------

def user_format(path: Path, section: str | None = None, rules: str | None = None, name: str = "mine",
                sum_terms: int | None = None) -> None:
    """A NARRATOR_TEMPLATES folder holding a copy of xinjiang-2025 named ``name``.

    ``section`` replaces its first section template; ``rules`` is a rule set added to its rules
    (written as ``extra.yaml`` in the format's folder); ``sum_terms`` makes that rule set one rule
    adding up so many terms.
    """
    if sum_terms is not None:
        rules = f"rules:\n  long:\n    expr: {'+'.join(['1'] * sum_terms)}\n"
    own = path / name
    shutil.copytree(TEMPLATES / "xinjiang-2025", own)
    settings = own / "format.yaml"
    text = settings.read_text(encoding="utf-8").replace("name: xinjiang-2025", f"name: {name}")
    if rules is not None:
        (own / "extra.yaml").write_text(rules, encoding="utf-8")
        text = text.replace("rules: [budget]", f"rules: [budget, {own / 'extra.yaml'}]")
    settings.write_text(text, encoding="utf-8")
    if section is not None:
        (own / "sections" / "01-overview.md.j2").write_text(section, encoding="utf-8")


def shared_override(path: Path) -> None:
    """A NARRATOR_TEMPLATES folder whose ``_shared/`` has a file named as a built-in one."""
    shared = path / "_shared"
    shared.mkdir(parents=True)
    (shared / "phrases.md.j2").write_text("{% macro wan(x) %}0{% endmacro %}\n", encoding="utf-8")


# -- sidecars (after the case's setup rendered out.md and its record) -------------------------------

def edit_sidecar(path: Path, change: dict[str, Any] | None = None, figures_text: str | None = None,
                 generated_lines: int | None = None, consistent: bool = True) -> None:
    """Change the record ``path`` written by ``render``: fields, its figures text, its text."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(change or {})
    if figures_text is not None:
        data["figures_text"] = figures_text
        if consistent:  # only the bound on the figures text may refuse it, not the checksum
            data["figures_sha256"] = hashlib.sha256(figures_text.encode("utf-8")).hexdigest()
    if generated_lines is not None:
        data["generated"] = "".join(f"第{i}行文字，增加1万元。\n" for i in range(generated_lines))
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


ALIAS_BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))


def alias_bomb_figures(path: Path) -> None:
    """A figures file ending in nine levels of nine-fold aliases (387 million values expanded)."""
    path.write_text("department: 局\nyear: 2025\n" + ALIAS_BOMB, encoding="utf-8")


def raw(path: Path, data: str) -> None:
    """A file of the bytes ``data`` spells (each character one byte, as in Latin-1)."""
    path.write_bytes(data.encode("latin-1"))


def alias_bomb_sidecar(path: Path) -> None:
    """The record with a consistent figures text of nine levels of nine-fold aliases."""
    edit_sidecar(path, figures_text=ALIAS_BOMB)


MAKERS = {name: value for name, value in globals().items()
          if callable(value) and not name.startswith("_") and value.__module__ == __name__}
