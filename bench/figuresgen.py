"""Deterministic generator of varied, valid figures files (for the benchmark and batch tests).

File ``i`` of seed ``s`` depends only on ``(s, i)``: asking for more files never changes the
first ones. Amounts are whole numbers of cents turned into text, never floats. Each file is
internally consistent the way a real disclosure is (income by source equals spending by
source; 基本支出 by economic 款 equals the 一般公共预算 基本支出), and varies what the text
has to handle: departments, 项 codes from ``rules/classification/functional.yaml``, amounts,
priors that are zero (new items) or given for dropped items, increases and decreases,
missing reasons, projects, carryover, and 三公 parts that are absent.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CLASSIFICATION = ROOT / "rules" / "classification"

COUNTIES = ["阿图什市", "阿克陶县", "乌恰县", "阿合奇县", "喀什市", "疏附县", "伽师县", "和田市",
            "库尔勒市", "伊宁市", "哈密市", "昌吉市", "石河子市", "奎屯市", "博乐市", "吐鲁番市"]
AGENCIES = ["信访局", "财政局", "教育局", "卫生健康委员会", "司法局", "民政局", "审计局", "统计局",
            "文化体育广播电视和旅游局", "自然资源局", "住房和城乡建设局", "交通运输局", "水利局",
            "农业农村局", "档案馆", "机关事务服务中心", "融媒体中心", "退役军人事务局"]
REASONS_UP = ["本年在职人员增加，人员经费增加", "本年新增项目经费", "工资标准调整，人员经费增加",
              "本年业务工作量增加，相应经费增加"]
REASONS_DOWN = ["本年在职人员减少，人员经费减少", "本年压减一般性支出", "部分项目已完成，项目经费减少",
                "本年退休人员减少，相关经费减少"]
REASONS_SAME = ["与上年持平", "按实际需要安排，与上年一致"]
STAFF_ITEMS = ["2080501", "2080505", "2101101", "2101102", "2210201"]
PERSONNEL = ["30101", "30102", "30103", "30107", "30108", "30109", "30110", "30112", "30113", "30302"]
PUBLIC_USE = ["30201", "30202", "30207", "30211", "30213", "30215", "30216", "30228", "30229", "30231"]


def _codes() -> tuple[list[str], set[str]]:
    with open(CLASSIFICATION / "functional.yaml", encoding="utf-8") as stream:
        codes = [str(c) for c in yaml.safe_load(stream)["codes"]]
    items = [c for c in codes if len(c) == 7]
    return items, set(codes)


_ITEMS, _ALL = _codes()
# 项 whose 类 and 款 are both in the table (their names are printed), used for the main items.
_USABLE = [c for c in _ITEMS if c[:3] in _ALL and c[:5] in _ALL and c not in STAFF_ITEMS and c != "2013299"]


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


class _Dumper(yaml.SafeDumper):
    """Writes amounts as plain YAML numbers with their two decimals (214.20, not '214.20')."""


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value)))


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` cents in ``parts`` positive-or-zero pieces that add up exactly."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def _prior(rng: random.Random, amount: int) -> int:
    """Last year's amount: mostly near this year's, sometimes equal, zero (new) or larger."""
    roll = rng.random()
    if roll < 0.08:
        return 0
    if roll < 0.16:
        return amount
    return max(0, amount + rng.randint(-amount // 2, amount // 2 + 1000))


def _compared(rng: random.Random, amount: int, prior: int | None = None) -> dict:
    prior = _prior(rng, amount) if prior is None else prior
    entry: dict = {"amount": _money(amount), "prior": _money(prior)}
    if rng.random() < 0.95:  # a few reasons are left for a person to write
        reasons = REASONS_UP if amount > prior else REASONS_DOWN if amount < prior else REASONS_SAME
        entry["reason"] = rng.choice(reasons)
    return entry


def generate(seed: int, index: int, consistent: bool = True) -> dict:
    """The figures of budget unit ``index`` of a region generated with ``seed``.

    ``consistent`` (the default) makes last year's totals agree the way a real disclosure's do:
    the 一般公共预算 priors of the 项 add up to last year's 基本 + 项目 支出, which equals last year's
    一般公共预算 income, so ``check`` finds no error. ``consistent=False`` draws those totals
    independently (as the first generator did): every file then fails ``check`` with
    general-prior-total and general-prior-equals-income errors, which exercises the failing path.
    """
    rng = random.Random(f"{seed}:{index}")
    year = rng.choice([2024, 2025, 2025, 2026])
    county = rng.choice(COUNTIES)
    department = f"{county}{rng.choice(AGENCIES)}"
    main = rng.sample(_USABLE, rng.randint(1, 4))
    staff = rng.sample(STAFF_ITEMS, rng.randint(2, len(STAFF_ITEMS)))
    functional, by_source = [], {"general": 0, "unit": 0, "fund": 0, "carryover": 0}
    basic_general = project_general = project_all = basic_all = 0
    projects: list[dict] = []
    for code in sorted(main + staff):
        item: dict = {"code": code}
        if code in staff or rng.random() < 0.7:
            basic = rng.randint(50_00, 400_00) if code in main else rng.randint(1_00, 40_00)
            item["basic"] = {"general": _money(basic)}
            by_source["general"] += basic
            basic_general += basic
            basic_all += basic
        if code in main and rng.random() < 0.6:
            source = rng.choice(["general", "general", "general", "unit", "fund"])
            amount = rng.randint(2_00, 120_00)
            item["project"] = {source: _money(amount)}
            by_source[source] += amount
            project_all += amount
            if source == "general":
                project_general += amount
            projects.append({"name": f"{department}{code[-4:]}专项业务经费", "code": code,
                             "source": source, "amount": _money(amount),
                             "basis": f"根据{year - 1}年党组会议纪要", "owner": department,
                             "allocation": "用于日常业务工作", "period": f"{year}年1月1日-{year}年12月31日"})
        if "basic" not in item and "project" not in item:
            item["prior"] = _money(rng.randint(1_00, 60_00))  # dropped this year
            item["reason"] = "本年未安排此项经费"
            functional.append(item)
            continue
        general = sum(v for part in ("basic", "project") for k, v in item.get(part, {}).items()
                      if k == "general")
        entry = _compared(rng, int(general * 100))
        item["prior"] = entry["prior"]
        if "reason" in entry:
            item["reason"] = entry["reason"]
        functional.append(item)
    carryover = []
    if rng.random() < 0.4:
        amounts = [rng.randint(1, 5_00) for _ in range(rng.randint(1, 3))]
        carryover = [{"name": f"上年结转第一书记工作经费（{n + 1}）", "amount": _money(a),
                      "fiscal": True, "purpose": "第一书记工作经费"} for n, a in enumerate(amounts)]
        functional.append({"code": "2013299", "project": {"carryover": _money(sum(amounts))}})
        by_source["carryover"] += sum(amounts)
        project_all += sum(amounts)
    income = {k: _compared(rng, v) for k, v in by_source.items() if v}
    if rng.random() < 0.2:
        income["general_transfer"] = {"amount": _money(0), "prior": _money(rng.randint(1_00, 50_00)),
                                      "reason": "上级本年未安排转移支付"}
    general_budget = {"basic": _compared(rng, basic_general), "project": _compared(rng, project_general)}
    if consistent:
        _agree_on_last_year(rng, functional, income, general_budget, basic_general, project_general)
    personnel_share = rng.randint(85, 97)
    personnel, public_use = _split(rng, basic_general, 2) if basic_general < 100 else (
        basic_general * personnel_share // 100, basic_general - basic_general * personnel_share // 100)
    p_codes = sorted(rng.sample(PERSONNEL, rng.randint(3, len(PERSONNEL))))
    u_codes = sorted(rng.sample(PUBLIC_USE, rng.randint(2, len(PUBLIC_USE))))
    economic = {c: _money(a) for c, a in zip(p_codes, _split(rng, personnel, len(p_codes)))}
    economic.update({c: _money(a) for c, a in zip(u_codes, _split(rng, public_use, len(u_codes)))})
    three_public = {}
    for key in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
        amount = rng.choice([0, 0, rng.randint(10, 5_00)])
        three_public[key] = _compared(rng, amount)
    goods, works, services = (rng.randint(0, 30_00) for _ in range(3))
    return {
        "department": department,
        "year": year,
        "unit": "万元",
        "basis": rng.choice(["上年预算", "上年预算", "上年执行数"]),
        "region": county,
        "income": income,
        "expenditure": {"basic": _compared(rng, basic_all), "project": _compared(rng, project_all)},
        "general_budget": general_budget,
        "functional": functional,
        "purposes": {code: "本单位人员工资及日常运转支出" for code in sorted({i["code"][:3] for i in functional})},
        "economic": economic,
        "projects": projects,
        "three_public": three_public,
        "carryover": carryover,
        "operating_costs": _compared(rng, public_use),
        "procurement": {"goods": _money(goods), "works": _money(works), "services": _money(services),
                        "sme_reserved": _money(goods + works + services),
                        "micro_reserved": _money((goods + works + services) // 2)},
        "assets": {"furniture": _money(rng.randint(0, 50_00)), "other": _money(rng.randint(0, 90_00)),
                   "vehicles": {"general": {"count": rng.randint(0, 3), "value": _money(rng.randint(0, 60_00))}}},
        "performance": {"overall_targets": rng.randint(1, 3)},
    }


def _agree_on_last_year(rng: random.Random, functional: list[dict], income: dict, general_budget: dict,
                        basic: int, project: int) -> None:
    """Make last year's 一般公共预算 totals the sum of the 项 priors (see ``generate``)."""
    total = sum(int(item["prior"] * 100) for item in functional if "prior" in item)
    basic_prior = total * basic // (basic + project) if basic + project else total
    for part, amount, prior in (("basic", basic, basic_prior), ("project", project, total - basic_prior)):
        general_budget[part] = _compared(rng, amount, prior)
    transfer = income.get("general_transfer")
    if transfer is not None and int(transfer["prior"] * 100) > total:
        transfer["prior"] = _money(total)
    general = _compared(rng, int(income["general"]["amount"] * 100) if "general" in income else 0,
                        total - (int(transfer["prior"] * 100) if transfer is not None else 0))
    income["general"] = general


def _clean(figures: dict) -> dict:
    """Drop the amounts of the compared blocks that the schema derives (基本/项目支出)."""
    for block in ("expenditure", "general_budget"):
        for part in figures[block].values():
            part.pop("amount", None)
    return figures


def figures_text(seed: int, index: int, consistent: bool = True) -> str:
    """One generated figures file as YAML text."""
    return yaml.dump(_clean(generate(seed, index, consistent)), Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, width=200)


def write_region(folder: Path, count: int, seed: int, consistent: bool = True) -> list[Path]:
    """Write ``count`` generated figures files under ``folder`` (one subfolder per county)."""
    paths = []
    for index in range(count):
        figures = _clean(generate(seed, index, consistent))
        text = yaml.dump(figures, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)
        path = folder / figures["region"] / f"unit-{index:06d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
