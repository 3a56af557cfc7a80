"""A blank figures file for ``narrator init``, every field commented in Chinese."""

from __future__ import annotations

from .environment import environment


def blank_figures(year: int, department: str = "", format_name: str = "xinjiang-2025") -> str:
    """The text of a new figures file for ``department``, budget ``year`` and a document format."""
    template = environment().get_template("_init/figures.yaml.j2")
    return template.render(year=year, department=department, format=format_name)
