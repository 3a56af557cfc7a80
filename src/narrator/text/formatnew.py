"""``narrator format new NAME --from EXISTING``: a copy of a format, ready to edit, with a golden test.

The copy is the existing format's folder under a new name (``format.yaml``'s ``name`` and the
README's title changed), plus ``tests/example/``: the existing format's example figures (now
naming the new format) and ``expected.md``, the text they render to today. ``narrator formats
--check`` renders every such case and shows where the text no longer matches, so an author who
changes a template sees exactly which sentences moved. The folder is built beside its place
and renamed into it, so a failure never leaves half a format behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, NarratorError
from ..resources import examples_dir

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_FORMAT_LINE = re.compile(r"^format:.*$", re.MULTILINE)


@dataclass
class NewFormat:
    """What ``new_format`` made: the format's folder and the files in it."""

    folder: Path
    files: list[Path]


def example_for(format_name: str) -> Path | None:
    """The bundled example figures written for ``format_name`` (None when there is none)."""
    from .formats import DEFAULT_FORMAT

    folder = examples_dir()
    if folder is None:
        return None
    for path in sorted(folder.glob("*.yaml")):
        named = _FORMAT_LINE.search(path.read_text(encoding="utf-8"))
        written = named.group(0).split(":", 1)[1].split("#")[0].strip() if named else DEFAULT_FORMAT
        if written == format_name:
            return path
    return None


def new_format(name: str, source: str, into: Path) -> NewFormat:
    """Copy the format ``source`` to ``into/name`` as a new format called ``name``."""
    from .formats import check_format_name, format_names, load_format
    from ..document.output import make_folder

    if not _NAME.match(name):
        raise NarratorError.at(Location(name), "bad-format-name",
                               "格式名只用小写字母、数字和连字符（-），以字母或数字开头，至多 40 个字符，如 shanghai-budget")
    if name in format_names():
        raise NarratorError.at(Location(name), "format-exists", f"已有名为 “{name}” 的格式，请另起名字")
    check_format_name(source)
    origin = load_format(source).folder
    target = into / name
    if target.exists():
        raise NarratorError.at(Location(str(target)), "file-exists", "文件夹已存在；请另选位置或名字")
    make_folder(into)
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=into))
    try:
        staged = work / name
        shutil.copytree(origin, staged, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "tests"))
        _rename(staged, source, name)
        _golden(staged, source, name)
        staged.rename(target)
    except OSError as error:
        from ..document.output import os_reason

        raise NarratorError.at(Location(str(target)), "output", f"无法写入：{os_reason(error)}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return NewFormat(target, sorted(p for p in target.rglob("*") if p.is_file()))


def _rename(folder: Path, source: str, name: str) -> None:
    path = folder / "format.yaml"
    text = re.sub(r"^name:.*$", f"name: {name}", path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    readme = folder / "README.md"
    if readme.is_file():
        lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
        if lines and lines[0].startswith(f"# {source}"):
            lines[0] = lines[0].replace(f"# {source}", f"# {name}", 1)
        lines.insert(1, f"\n（由 `narrator format new {name} --from {source}` 复制而来，请按本格式改写这份说明。）\n")
        readme.write_text("".join(lines), encoding="utf-8")


def _golden(folder: Path, source: str, name: str) -> None:
    """``tests/example/{figures.yaml, expected.md}``: the source's example, as it renders today."""
    from ..intake.figures import load_figures_text
    from .render import render_figures

    example = example_for(source)
    if example is None:
        return
    text = example.read_text(encoding="utf-8")
    rendered = render_figures(load_figures_text(text, str(example)), source)
    case = folder / "tests" / "example"
    case.mkdir(parents=True)
    renamed = _FORMAT_LINE.sub(f"format: {name}", text, count=1) if _FORMAT_LINE.search(text) \
        else text.rstrip("\n") + f"\nformat: {name}\n"
    (case / "figures.yaml").write_text(renamed, encoding="utf-8")
    (case / "expected.md").write_text(rendered.text, encoding="utf-8")
