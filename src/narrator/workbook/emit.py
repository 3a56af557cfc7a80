"""Writing the imported figures as a figures file with Chinese comments.

The file's wording and layout is a template (``templates/_figures/imported.yaml.j2``) in the one
sandboxed environment; this module only prepares the values and writes scalars as YAML that
narrator's own loader reads back exactly (amounts as printed, codes quoted, text quoted only
where YAML needs it).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..classification import load_classification, load_vocabulary
from ..classification.naming import Naming
from ..text.environment import environment
from ..text.formatfields import fund_sources
from ..errors import Finding
from .layout import Layout

CENT = Decimal("0.01")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
_PLAIN_UNSAFE = re.compile(r"(^[-?:,\[\]{}#&*!|>'\"%@`\s])|(:\s)|(\s#)|(\s$)|[\n\t]")


def scalar(value: Any) -> str:
    """One value written as YAML: amounts with their printed decimals, text plain when safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if value == 0:
            return "0"
        if value.as_tuple().exponent < -2:  # 元 read as 万元: as many places as it needs, no trailing zeros
            value = value.normalize()
        return f"{value.quantize(CENT) if value.as_tuple().exponent > -2 else value:f}"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if not text or _PLAIN_UNSAFE.search(text) or not _reads_back(text):
        # a char YAML does not allow in a file (\ufffe, \uffff …) is written as its escape
        return _NOT_IN_YAML.sub(_escaped, json.dumps(text, ensure_ascii=False))
    return text


_NOT_IN_YAML = yaml.reader.Reader.NON_PRINTABLE


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _reads_back(text: str) -> bool:
    """Whether ``text`` written plain is read back as the same text (“=” is YAML's value tag)."""
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def _names(code: str, year: int, given: dict[str, str]) -> str:
    naming = Naming(year, given)
    parts = []
    for length in (3, 5, 7):
        if len(code) >= length:
            try:
                parts.append(naming.name(code[:length]))
            except KeyError:
                parts.append("？")
    return " / ".join(parts)


#: the top-level keys the template writes in its own place; any other key (a format's own fields,
#: carried over by --keep) is written after them as it is
WRITTEN = frozenset({"department", "year", "unit", "basis", "format", "region", "income", "expenditure",
                     "general_budget", "functional", "names", "purposes", "declared", "economic", "projects",
                     "three_public", "carryover", "operating_costs", "procurement", "assets", "performance",
                     "other_notes"})
PROCUREMENT = ("goods", "works", "services", "total", "sme_reserved", "micro_reserved")
#: the keys of an entry (income source, 项, “三公” part) the template writes itself
ENTRY_KEYS = frozenset({"code", "amount", "basic", "project", "prior", "reason", "show_prior", "extra"})


def block(key: str, value: Any, indent: int = 0) -> list[str]:
    """``key: value`` as YAML lines: mappings in block style, the items of a list one a line (flow style)."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        return [f"{pad}{key}:", *(line for k, v in value.items() for line in block(str(k), v, indent + 2))]
    if isinstance(value, list) and value:
        lines = [f"{pad}{key}:"]
        for item in value:
            lines.append(f"{pad}  - {_flow(item)}")
        return lines
    return [f"{pad}{key}: {_flow(value)}"]


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, str) and _FLOW_UNSAFE.search(value):
        return json.dumps(value, ensure_ascii=False)
    return scalar(value) if value is not None else "null"


def _complete(figures: dict[str, Any]) -> dict[str, Any]:
    """Every optional key the template writes, present (None when nobody has filled it yet)."""
    general = ("general", "general_transfer")
    for entry in (*figures["income"].values(), *figures["three_public"].values(), figures["operating_costs"],
                  *figures["expenditure"].values(), *figures["general_budget"].values()):
        entry.setdefault("prior", None)
        entry.setdefault("reason", None)
    for item in figures["functional"]:
        item.setdefault("basic", {})
        item.setdefault("project", {})
        has_general = any(item[p].get(s) for p in ("basic", "project") for s in general)
        item["show_prior"] = "prior" in item or has_general
        item.setdefault("prior", None)
        item.setdefault("reason", None)
    for project in figures["projects"]:
        project.setdefault("economic", {})
        project.setdefault("code", None)
        for key in ("basis", "owner", "allocation", "period", "target"):
            project.setdefault(key, None)
    for item in figures["carryover"]:
        item.setdefault("purpose", None)
    for entry in (*figures["income"].values(), *figures["three_public"].values(), *figures["functional"],
                  *figures["expenditure"].values(), *figures["general_budget"].values(), figures["operating_costs"]):
        entry["extra"] = [line for k, v in entry.items() if k not in ENTRY_KEYS for line in block(k, v)]
    figures["extra"] = [line for k, v in figures.items() if k not in WRITTEN and k != "extra" for line in block(k, v)]
    return figures


def figures_text(figures: dict[str, Any], *, source: str, layout: Layout, prior: Path | str | None,
                 keep: Path | str | None, findings: list[Finding], format_name: str | None = None) -> str:
    """The text of the figures file, ready to be written."""
    figures = _complete(figures)
    vocab = load_vocabulary()
    economic = load_classification("economic")
    year = figures["year"]
    context = dict(figures)
    context.update(
        y=scalar,
        q=lambda text: json.dumps(str(text), ensure_ascii=False),
        source=source,
        format_name=format_name,
        layout=layout,
        prior_file=Path(prior).name if prior else None,
        keep_file=Path(keep).name if keep else None,
        findings=[f for f in findings if f.level in ("error", "warning")],
        source_names={s["key"]: s["name"] for s in fund_sources(format_name)},
        part_names={s["key"]: s["name"] for s in vocab["three_public"]},
        declared_names=vocab.get("declared_names", {}),
        path_name=lambda code: _names(code, year, figures.get("names") or {}),
        economic_name=lambda code: (figures.get("names") or {}).get(code) or (economic.name(code, year) if code in economic else "？"),
        general_classes=sorted({i["code"][:3] for i in figures["functional"]
                                if any(i.get(p, {}).get(s) for p in ("basic", "project")
                                       for s in ("general", "general_transfer"))}),
        procurement=figures.get("procurement"),
        procurement_extra=[line for k, v in (figures.get("procurement") or {}).items() if k not in PROCUREMENT
                           for line in block(k, v)],
        assets=figures.get("assets"),
        performance=figures.get("performance"),
        other_notes=figures.get("other_notes"),
        region=figures.get("region"),
    )
    text = environment().get_template("_figures/imported.yaml.j2").render(context)
    return "\n".join(line.rstrip() for line in text.split("\n"))
