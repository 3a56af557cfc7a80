"""The remaining tables: 表5 and 表6 totals, 表7 projects, 表10 “三公”, 表11 carryover, 表1/表4 checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..numbers import rounding_tolerance
from .assemble import ZERO, Assembler

ECONOMIC_CLASSES = ("301", "302", "303", "307", "309", "310", "311", "312", "313", "399")
THREE_PUBLIC = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")


def general_budget(asm: Assembler) -> None:
    """表5 against 表2 (一般公共预算 of each 科目) and its own 总计 line."""
    general = asm.tables.get("general")
    income = asm.tables["income"]
    if general is None:
        return  # a layout without the table: nothing to check
    if asm.final:  # a 决算's income of a 科目 is not its spending: only the table's own total
        if general.total is not None:
            asm.total("general_total", "一般公共预算财政拨款支出合计", general, general.total, "total",
                      [general.total.values.get("basic", ZERO), general.total.values.get("project", ZERO)])
        return
    keys = next((k for role, k in asm.splits if role == "general"), ("general",))
    by_income = income.by_code()
    for line in general.lines:
        src = by_income.get(line.code or "")
        if src is None:
            asm.report("error", "tables-disagree", general, line, "name",
                       f"科目 {line.code} {line.name} 不在{income.table.display}中")
    for code, src in by_income.items():
        if any(src.values.get(k, ZERO) for k in keys) and code not in general.by_code():
            asm.report("error", "tables-disagree", income, src, keys[0],
                       f"科目 {code} {src.name} 有一般公共预算，但{general.table.display}中没有这一科目")
    if general.total is not None:
        line = general.total
        asm.total("general_total", "一般公共预算支出总计", general, line, "total",
                  [line.values.get("basic", ZERO), line.values.get("project", ZERO)])
        if income.total is not None:
            parts = [income.total.values.get(k, ZERO) for k in keys]
            asm.compare("一般公共预算支出总计", (general, line, "total"), (income, income.total, keys[0]),
                        rounding_tolerance(len(parts)) if sum(1 for p in parts if p) > 1 else ZERO, sum(parts, ZERO))


def economic(asm: Assembler) -> dict[str, Decimal]:
    """表6: the 款 amounts, checked against their 类 lines, its 总计 and 表5's basic total."""
    data = asm.tables.get("basic_economic")
    if data is None:
        return {}
    amounts = {line.code: line.values.get("total", ZERO) for line in data.lines if line.code and len(line.code) == 5}
    for line in data.lines:
        if line.code and len(line.code) == 3:
            parts = [v for c, v in amounts.items() if c.startswith(line.code)]
            if abs(line.values.get("total", ZERO) - sum(parts, ZERO)) > rounding_tolerance(len(parts)):
                asm.total(f"_{line.code}", f"经济分类 {line.code} {line.name} 的合计", data, line, "total", parts)
    for key, line in data.named_totals.items():  # “人员经费合计”, “公用经费合计” (a 决算's two halves)
        classes = next(c for k, c in data.table.total_rows.values() if k == key)
        parts = [v for c, v in amounts.items() if c[:3] in classes and v]
        asm.total(key, line.name, data, line, "total", parts)
    if data.total is not None:
        lines = [l for l in data.lines if l.code and len(l.code) == 5]
        for key, what in (("personnel", "人员经费"), ("public_use", "公用经费")):
            if key in data.total.columns:
                parts = [l.values.get(key, ZERO) for l in lines if l.values.get(key, ZERO)]
                asm.total(key, f"{what}总计", data, data.total, key, parts)
        general = asm.tables.get("general")
        if general is not None and general.total is not None:
            asm.compare("基本支出总计", (data, data.total, "total"), (general, general.total, "basic"))
    return {code: amount for code, amount in sorted(amounts.items()) if amount}


def projects(asm: Assembler) -> list[dict[str, Any]]:
    """表7: one project a line, with its amounts by economic 类; checked against 表5 项目支出."""
    data = asm.tables.get("projects")
    if data is None or "general" not in asm.tables:
        return []
    general = asm.tables["general"].by_code()
    result = []
    per_code: dict[str, list[Decimal]] = {}
    for line in data.lines:
        name = line.extra.get("project", "")
        if not name:
            continue  # a 类、款 or 项 subtotal line
        code = line.code if line.code and len(line.code) == 7 else None
        amount = line.values.get("total", ZERO)
        economic = {c: line.values[c] for c in ECONOMIC_CLASSES if line.values.get(c)}
        if economic and abs(sum(economic.values(), ZERO) - amount) > rounding_tolerance(len(economic)):
            asm.report("error", "total-mismatch", data, line, "total",
                       f"项目“{name}”合计 {amount:.2f} 与各经济分类之和 {sum(economic.values(), ZERO):.2f} 不一致")
        if code:
            per_code.setdefault(code, []).append(amount)
        result.append({"name": name, "code": code, "source": "general", "amount": amount, "economic": economic})
    for code, amounts in per_code.items():
        row = general.get(code)
        if row is None:
            continue
        first = next(l for l in data.lines if l.code == code and l.extra.get("project"))
        if abs(sum(amounts, ZERO) - row.values.get("project", ZERO)) > rounding_tolerance(len(amounts)):
            asm.report("error", "tables-disagree", data, first, "total",
                       f"科目 {code} 下各项目之和 {sum(amounts, ZERO):.2f} 与"
                       f"{asm.tables['general'].place(row, 'project')}的项目支出 {row.values.get('project', ZERO):.2f} 不一致")
    if data.total is not None and asm.tables["general"].total is not None:
        asm.compare("项目支出总计", (data, data.total, "total"), (asm.tables["general"], asm.tables["general"].total, "project"))
    return result


def three_public(asm: Assembler) -> dict[str, dict[str, Decimal]]:
    """The four “三公” parts, each with its amount (and, where the table prints them, ``prior``, ``budget``).

    A ``labelled`` table has one line a part (表10: 合计 column); a ``row`` table prints the parts
    across one line, a column a part, ``part.prior`` / ``part.budget`` columns for last year's
    or the budgeted amount. Checked against the printed 合计 and 公务用车 小计.
    """
    data = asm.tables.get("three_public")
    if data is None:
        return {}
    if data.table.kind == "row":
        if not data.lines:
            return {}
        line = data.lines[0]
        cells = {key: (line, key) for key in line.values}
    else:
        cells = {line.label: (line, "total") for line in data.lines if line.label}
    parts = {}
    for key in THREE_PUBLIC:
        entry = {"amount": _at(cells, key)}
        for attr in ("prior", "budget"):
            if f"{key}.{attr}" in cells:
                entry[attr] = _at(cells, f"{key}.{attr}")
        parts[key] = entry
    for suffix in ("", ".prior", ".budget"):
        amounts = {k: _at(cells, k + suffix) for k in THREE_PUBLIC}
        _three_public_totals(asm, data, cells, suffix, amounts)
    return parts


def _at(cells: dict[str, tuple[Any, str]], key: str) -> Decimal:
    if key not in cells:
        return ZERO
    line, column = cells[key]
    return line.values.get(column, ZERO)


def _three_public_totals(asm: Assembler, data: Any, cells: dict[str, tuple[Any, str]], suffix: str,
                         parts: dict[str, Decimal]) -> None:
    """The printed 合计 and 公务用车 小计 (of one kind of amount) against their parts."""
    if "total" + suffix in cells:
        line, column = cells["total" + suffix]
        if abs(line.values.get(column, ZERO) - sum(parts.values(), ZERO)) > ZERO:
            asm.report("error", "total-mismatch", data, line, column,
                       f"“三公”经费合计 {line.values.get(column, ZERO):.2f} 与四项之和 {sum(parts.values(), ZERO):.2f} 不一致")
    if "vehicle" + suffix in cells:
        line, column = cells["vehicle" + suffix]
        both = parts["vehicle_purchase"] + parts["vehicle_operation"]
        if line.values.get(column, ZERO) != both:
            asm.report("error", "total-mismatch", data, line, column,
                       f"公务用车购置及运行费 {line.values.get(column, ZERO):.2f} 与购置费、运行费之和 {both:.2f} 不一致")


def operating_costs(asm: Assembler) -> dict[str, Decimal]:
    """机关运行经费 where a table prints it (a ``row`` table's ``operating_costs`` column)."""
    data = asm.tables.get("three_public")
    if data is None or data.table.kind != "row" or not data.lines:
        return {}
    values = data.lines[0].values
    found = {"amount": values["operating_costs"]} if "operating_costs" in values else {}
    for attr in ("prior", "budget"):
        if f"operating_costs.{attr}" in values:
            found[attr] = values[f"operating_costs.{attr}"]
    return found


def carryover(asm: Assembler) -> list[dict[str, Any]]:
    """表11: one entry a line (财政拨款 or 非财政拨款), checked against 表2's 结转 columns."""
    data = asm.tables.get("carryover")
    if data is None:
        return []
    items: list[dict[str, Any]] = []
    for line in data.lines:
        total = line.values.get("total", ZERO)
        fiscal, other = line.values.get("fiscal", ZERO), line.values.get("other", ZERO)
        if not total and not fiscal and not other:
            continue
        if fiscal and other:
            items.append({"name": line.name, "amount": fiscal, "fiscal": True})
            items.append({"name": line.name, "amount": other, "fiscal": False})
        else:
            items.append({"name": line.name, "amount": total or fiscal or other, "fiscal": not other})
        if (fiscal or other) and abs(total - fiscal - other) > rounding_tolerance(2):
            asm.report("error", "total-mismatch", data, line, "total",
                       f"“{line.name}”合计 {total:.2f} 与财政拨款、非财政拨款之和 {fiscal + other:.2f} 不一致")
    if data.total is not None:
        asm.total("carryover", "上年结转结余总计", data, data.total, "total", [i["amount"] for i in items])
        income = asm.tables["income"]
        if income.total is not None:
            both = income.total.values.get("carryover", ZERO) + income.total.values.get("carryover_other", ZERO)
            asm.compare("上年结转结余总计", (data, data.total, "total"), (income, income.total, "carryover"),
                        rounding_tolerance(2), both)
    return items


def income_parts(asm: Assembler, parts: dict[str, tuple[tuple[str, ...], str | None]]) -> dict[str, Any]:
    """Income columns one source adds up (上海's 事业收入, 事业单位经营收入, 其他收入 are 单位资金).

    Each line of the income table gets the source's amount as the sum of its columns; the columns'
    totals are returned under the figures field the layout names (``other_income``)."""
    data = asm.tables["income"]
    fields: dict[str, Any] = {}
    for source, (columns, field_name) in parts.items():
        present = [c for c in columns if any(c in line.columns for line in data.lines + [data.total] if line)]
        if not present:
            continue
        for line in [*data.lines, *([data.total] if data.total else [])]:
            line.values.setdefault(source, sum((line.values.get(c, ZERO) for c in present), ZERO))
        if field_name and data.total is not None:
            fields[field_name] = {c: data.total.values.get(c, ZERO) for c in present}
    return fields


def side_income(asm: Assembler, income: dict[str, Decimal]) -> None:
    """Sources the income table has no column for, from the summary tables' rows (a 决算's 年初结转和结余).

    The 财政拨款 summary first: its row for 年初财政拨款结转和结余 gives ``carryover``; then the
    overall summary's 年初结转和结余 (``carryover`` + ``carryover_other``) gives the rest.
    """
    given = asm.tables["income"].total.columns if asm.tables["income"].total else {}
    for role in ("fiscal", "overview"):
        data = asm.tables.get(role)
        for line in (data.sides.get("income", []) if data else []):
            keys = [k for k in (line.label or "").split("/") if k in asm.sources]
            open_keys = [k for k in keys if k not in given and k not in income]
            if len(open_keys) == 1 and all(k in given or k in income for k in keys if k != open_keys[0]):
                rest = line.values["amount"] - sum((income.get(k, ZERO) for k in keys if k != open_keys[0]), ZERO)
                if rest:
                    income[open_keys[0]] = rest
        for line in (data.sides.get("spending", []) if data else []):
            for key in (line.label or "").split("/"):
                if key.startswith("declared."):  # “年末结转和结余”: a total the text prints as is
                    asm.declared.setdefault(key.split(".", 1)[1], line.values["amount"])


def overview(asm: Assembler, income: dict[str, Decimal]) -> None:
    """表1 and 表4: their income lines and 类 against 表2, 表3 and 表5 (checks only)."""
    spending = {"overview": ("expenditure", "total"), "fiscal": ("general", "total")}
    for role in ("overview", "fiscal"):
        data = asm.tables.get(role)
        if data is None or spending[role][0] not in asm.tables:
            continue
        fiscal_keys = ("general", "general_transfer", "fund", "fund_transfer", "capital", "capital_transfer")
        for line in data.sides.get("income", []):
            keys = (line.label or "").split("/")
            if keys == ["total"]:
                expected = sum(income.values(), ZERO) if role == "overview" else sum(
                    (income.get(k, ZERO) for k in fiscal_keys), ZERO)
            elif keys == ["fiscal"]:
                expected = sum((income.get(k, ZERO) for k in fiscal_keys), ZERO)
            source = asm.tables["income"]
            anchor = source.total or (source.lines[0] if source.lines else None)
            if keys not in (["total"], ["fiscal"]):
                # a column of the income table that is part of a source (上海's 事业收入 of 单位资金): its own total
                printed = anchor.values if anchor is not None and anchor is source.total else {}
                expected = sum((income.get(k, printed.get(k, ZERO)) for k in keys), ZERO)
            if anchor is not None:
                column = "fiscal" if keys == ["total"] and role == "fiscal" else keys[0]
                column = column if column in anchor.columns else "total"
                asm.compare(f"“{line.name}”", (data, line, "amount"), (source, anchor, column), rounding_tolerance(2), expected)
        table, column = asm.tables[spending[role][0]], spending[role][1]
        by_code = table.by_code()
        for line in data.sides.get("spending", []):
            if line.code:
                other = by_code.get(line.code)
                if other is not None:
                    asm.compare(f"{line.code} {line.name}", (data, line, "amount"), (table, other, column))
                elif line.values.get("amount"):
                    asm.report("error", "tables-disagree", data, line, "amount",
                               f"{line.code} {line.name} 不在{table.table.display}中")
            elif line.label and line.label.startswith("declared."):
                continue
            elif line.label == "total" and table.total is not None:
                asm.compare("支出总计", (data, line, "amount"), (table, table.total, column))
