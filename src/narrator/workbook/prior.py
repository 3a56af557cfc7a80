"""Last year's amounts from last year's figures file, and hand-written texts from this year's.

``--prior last-year.yaml``: the rules of the format are evaluated on last year's file and its
*this-year* amounts become this year's ``prior`` — matched by fund-source key, by functional
code (or, for a renumbered 项, by its 类/款/项 names), by “三公” part.
Last year's workbook of the tables serves as well (imported first): a first year has no figures file.
``--keep figures.yaml``: a figures file of the same year that a person has already filled in;
what is not in the tables (reasons, purposes, project details, procurement, assets …) is
carried over, so that re-importing a corrected workbook loses nothing typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..classification import load_classification
from ..compute.engine import Engine, RuleFailed
from ..errors import Finding, Location, NarratorError
from ..compute.expr import MissingFigure
from ..intake.figures import load_figures
from ..text.formats import load_format
from ..intake.records import build_roots
from ..compute.rules import load_rule_sets
from .layout import normalize

ZERO = Decimal(0)


@dataclass
class LastYear:
    """The amounts of last year's figures file that become this year's ``prior``."""

    year: int
    income: dict[str, Decimal] = field(default_factory=dict)
    expenditure: dict[str, Decimal] = field(default_factory=dict)
    general_budget: dict[str, Decimal] = field(default_factory=dict)
    functional: dict[str, Decimal] = field(default_factory=dict)
    three_public: dict[str, Decimal] = field(default_factory=dict)
    operating_costs: Decimal = ZERO


def _path_name(code: str, year: int) -> str:
    table = load_classification("functional")
    try:
        return "/".join(table.name(code[:n], year) for n in (3, 5, 7))
    except KeyError:
        return ""


def last_figures(path: Path | str, format_name: str, layout_name: str | None = None) -> Any:
    """Last year's figures file, or last year's workbook of the tables, imported as one.

    A clerk's first year with narrator has no figures file of last year, but has last year's
    published tables: their amounts are exactly the 上年预算 this year compares with.
    """
    from .xls import OLE2_MAGIC

    try:
        with open(path, "rb") as stream:
            head = stream.read(len(OLE2_MAGIC))
    except OSError:
        head = b""  # load_figures says what is wrong with the file
    if head.startswith(b"PK\x03\x04") or head == OLE2_MAGIC:
        from .importer import import_workbook  # here: the importer itself uses this module

        if layout_name:
            return import_workbook(path, layout_name=layout_name, format_name=format_name).figures
        return import_workbook(path, format_name=format_name).figures
    return load_figures(path)


def last_year(path: Path | str, format_name: str, layout_name: str | None = None) -> LastYear:
    """Evaluate last year's figures file (or workbook) and collect the amounts this year compares with."""
    loaded = last_figures(path, format_name, layout_name)
    fmt = load_format(format_name)
    engine = Engine(load_rule_sets(fmt.rules, fmt.rule_settings), build_roots(loaded), loaded.model.year)
    roots = engine.roots
    try:
        result = LastYear(loaded.model.year)
        result.income = {r.key: r.rule_attr("amount") for r in roots["income"]}
        result.expenditure = {r.key: r.rule_attr("amount") for r in roots["expenditure"]}
        result.general_budget = {r.key: r.rule_attr("amount") for r in roots["general_budget"]}
        result.functional = {r.code: r.rule_attr("general") for r in roots["functional"]}
        result.three_public = {r.key: r.rule_attr("amount") for r in roots["three_public"]}
        result.operating_costs = roots["operating_costs"].rule_attr("amount")
    except (RuleFailed, MissingFigure):
        raise NarratorError(engine.findings or [Finding(Location(str(path)), "error", "prior-file",
                                                        "上年数据文件中的数字不全，无法算出上年数")]) from None
    return result


def apply_prior(figures: dict[str, Any], last: LastYear, year: int, shown: str) -> list[Finding]:
    """Fill every ``prior`` from last year's amounts; add 项 and sources dropped this year."""
    notes = []
    if last.year != year - 1:
        notes.append(Finding(Location(shown), "warning", "prior-year",
                             f"上年数据文件的年度是 {last.year}，不是 {year - 1}"))
    income = figures["income"]
    for key, amount in last.income.items():
        if amount and key not in income:
            income[key] = {"amount": ZERO}
    for key, entry in income.items():
        entry["prior"] = last.income.get(key, ZERO)
    for name in ("expenditure", "general_budget"):
        for key in ("basic", "project"):
            figures[name][key]["prior"] = getattr(last, name).get(key, ZERO)
    by_name = {_path_name(code, last.year): code for code in last.functional}
    used = set()
    for item in figures["functional"]:
        code = item["code"]
        match = code if code in last.functional else by_name.get(_path_name(code, year))
        general = sum((item.get(part, {}).get(s, ZERO) for part in ("basic", "project")
                       for s in ("general", "general_transfer")), ZERO)
        previous = last.functional.get(match, ZERO) if match else ZERO
        if match:
            used.add(match)
        if general or previous:
            item["prior"] = previous
    for code, amount in sorted(last.functional.items()):
        if amount and code not in used:
            figures["functional"].append({"code": code, "prior": amount})
    figures["functional"].sort(key=lambda i: i["code"])
    for key, entry in figures["three_public"].items():
        entry.setdefault("prior", last.three_public.get(key, ZERO))  # a table printing last year's comes first
    figures["operating_costs"].setdefault("prior", last.operating_costs)
    return notes


def apply_keep(figures: dict[str, Any], path: Path | str, use_priors: bool, format_name: str | None = None) -> list[Finding]:
    """Carry hand-written fields (and, without ``--prior``, priors) over from a filled-in file.

    The fields a document format adds (its ``fields.yaml``: 上海's fleet, purposes of each 项 …) are
    carried over too: no table holds them."""
    kept = load_figures(path).model.model_dump(mode="python", exclude_none=True)
    shown = str(path)
    notes = []
    if kept["year"] != figures["year"]:
        notes.append(Finding(Location(shown), "warning", "keep-year",
                             f"--keep 文件的年度是 {kept['year']}，导入的是 {figures['year']} 年"))
    wanted = ("reason", "prior") if use_priors else ("reason",)
    for key in ("basis", "region", "other_notes"):
        if key in kept:
            figures[key] = kept[key]
    if kept.get("notes"):  # the texts a format asks for beside the records (a 决算's reasons of its totals)
        figures["notes"] = kept["notes"]
    for key, entry in kept["income"].items():
        if use_priors and entry.get("prior") and key not in figures["income"]:
            figures["income"][key] = {"amount": ZERO}  # a source dropped this year: still compared
    for name in ("income", "expenditure", "general_budget", "three_public"):
        for key, entry in (kept.get(name) or {}).items():
            target = figures[name].get(key)
            if target is not None:
                target.update({k: entry[k] for k in wanted if k in entry})
    for key in (*wanted, "amount"):
        if key in kept["operating_costs"]:
            figures["operating_costs"][key] = kept["operating_costs"][key]
    old = {i["code"]: i for i in kept["functional"]}
    for item in figures["functional"]:
        item.update({k: old[item["code"]][k] for k in wanted if k in old.get(item["code"], {})})
    if use_priors:
        mine = {i["code"] for i in figures["functional"]}
        figures["functional"].extend(
            {k: i[k] for k in ("code", "prior", "reason") if k in i}
            for i in kept["functional"] if i["code"] not in mine and i.get("prior"))
        figures["functional"].sort(key=lambda i: i["code"])
    classes = {i["code"][:3] for i in figures["functional"]}
    figures["purposes"] = {c: t for c, t in kept["purposes"].items() if c in classes}
    _keep_projects(figures, kept)
    texts = {normalize(c["name"]): c.get("purpose") for c in kept["carryover"]}
    for item in figures["carryover"]:
        if texts.get(normalize(item["name"])):
            item["purpose"] = texts[normalize(item["name"])]
    for key in ("procurement", "assets", "performance"):
        figures[key] = kept[key]
    if format_name:
        _keep_format_fields(figures, kept, format_name)
    return notes


def _keep_format_fields(figures: dict[str, Any], kept: dict[str, Any], format_name: str) -> None:
    """The kept file's values of the fields the format adds, wherever the format adds them."""
    from ..text.formatfields import declared_fields

    for added in declared_fields(format_name).get("add") or ():
        names = [str(n) for n in added.get("fields") or {}]
        for to in added.get("to") or ():
            for target, old in _pairs(figures, kept, str(to)):
                target.update({n: old[n] for n in names if n in old and n not in target})


def _pairs(figures: dict[str, Any], kept: dict[str, Any], to: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The (imported, kept) dicts a ``fields.yaml`` place names: ``.``, ``part.*``, ``list[]`` (matched by code or name)."""
    if to == ".":
        return [(figures, kept)]
    if to.endswith(".*"):
        mine, old = figures.get(to[:-2]) or {}, kept.get(to[:-2]) or {}
        return [(mine[k], old[k]) for k in mine if isinstance(old.get(k), dict)]
    if to.endswith("[]"):
        def ident(entry: dict[str, Any]) -> str:
            return str(entry.get("code") or normalize(entry.get("name", "")))
        old_items = {ident(e): e for e in kept.get(to[:-2]) or () if isinstance(e, dict)}
        return [(e, old_items[ident(e)]) for e in figures.get(to[:-2]) or () if ident(e) in old_items]
    return [(figures[to], kept[to])] if isinstance(figures.get(to), dict) and isinstance(kept.get(to), dict) else []


def _keep_projects(figures: dict[str, Any], kept: dict[str, Any]) -> None:
    details = ("basis", "owner", "allocation", "period", "target")
    old = {normalize(p["name"]): p for p in kept["projects"]}
    in_table = set()
    for project in figures["projects"]:
        previous = old.get(normalize(project["name"]))
        if previous is None:
            continue
        in_table.add(normalize(project["name"]))
        project.update({k: previous[k] for k in details if k in previous})
        if previous.get("source") in ("general", "general_transfer"):
            project["source"] = previous["source"]
    # 表7 lists 一般公共预算 projects only: projects of other sources are kept as written.
    for project in kept["projects"]:
        if normalize(project["name"]) not in in_table and project.get("source") not in ("general", "general_transfer"):
            figures["projects"].append(project)
