"""The figures file schema: what a department writes down (the input contract).

The reference file ``examples/atushi-2025.yaml`` must always load as it is; fields may be
added here only as optional ones. Descriptions are in Chinese because they are shown to the
people who fill the file in: in the published JSON Schema (``schema/figures.schema.json``),
in ``narrator init`` and in error messages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from ..classification import load_vocabulary
from .schema_performance import Performance
from .schema_types import Amount, Count, FunctionalCode, Quantity, Strict, code_text


class Compared(Strict):
    """An amount with last year's amount and the reason for the change."""

    amount: Optional[Amount] = Field(None, description="本年预算数（万元）")
    prior: Optional[Amount] = Field(None, description="上年数（万元），按 basis 所说的口径；上年没有填 0")
    reason: Optional[str] = Field(None, description="增减变化的主要原因（由人填写，工具不代写）")


class IncomeSource(Compared):
    """One fund source of the income budget (表1、表2)."""


#: The core fund sources (``rules/classification/budget-items.yaml``): the keys under ``income`` and
#: in every by-source mapping. A format may add more in its ``fields.yaml`` (``fund_sources:``).
FUND_SOURCES = {source["key"]: source["name"] for source in load_vocabulary()["fund_sources"]}
FundKey = Literal[tuple(FUND_SOURCES)]  # type: ignore[valid-type]


def _by_source(name: str, value_type: object, doc: str) -> type[BaseModel]:
    fields = {key: (Optional[value_type], Field(None, description=text)) for key, text in FUND_SOURCES.items()}
    model = create_model(name, __base__=Strict, __doc__=doc, **fields)  # type: ignore[call-overload]
    return model


Income = _by_source("Income", IncomeSource, "收入预算，按资金来源；不填或填 0 表示未安排。")
BySource = _by_source("BySource", Amount, "某一项的金额，按资金来源（键同 income）。")


class PriorReason(Strict):
    """Last year's amount and the reason; this year's amount is derived from the 项 lines."""

    prior: Optional[Amount] = Field(None, description="上年数（万元）")
    reason: Optional[str] = Field(None, description="增减变化的主要原因")


class BasicProject(Strict):
    """基本支出 and 项目支出 compared with last year."""

    basic: Optional[PriorReason] = Field(None, description="基本支出")
    project: Optional[PriorReason] = Field(None, description="项目支出")


class FunctionalItem(Strict):
    """One 项 of the 支出功能分类 with this year's amounts and last year's 一般公共预算 amount."""

    code: FunctionalCode
    name: Optional[str] = Field(None, description="科目名称，按本部门表格所印（可选；不填用科目表中的名称）")
    basic: Optional[BySource] = Field(None, description="基本支出，按资金来源")
    project: Optional[BySource] = Field(None, description="项目支出，按资金来源")
    prior: Optional[Amount] = Field(None, description="上年一般公共预算数（万元）；上年没有填 0")
    reason: Optional[str] = Field(None, description="增减变化的主要原因")


class Project(Strict):
    """One project of 表7 and 第三部分 七."""

    name: str = Field(description="项目名称")
    code: Optional[FunctionalCode] = None
    source: FundKey = Field("general", description="资金来源（键同 income）")
    amount: Amount = Field(description="预算安排规模（万元）")
    economic: dict[str, Amount] = Field(default_factory=dict, description="按经济分类类级科目（3 位）的金额")
    basis: Optional[str] = Field(None, description="设立的政策依据")
    owner: Optional[str] = Field(None, description="项目承担单位")
    allocation: Optional[str] = Field(None, description="资金分配情况")
    period: Optional[str] = Field(None, description="资金执行时间")
    target: Optional[str] = Field(None, description="绩效目标（可选）")

    @field_validator("economic", mode="before")
    @classmethod
    def _codes_as_text(cls, value: object) -> object:
        if isinstance(value, dict):
            return {code_text(k): v for k, v in value.items()}
        return value


class ThreePublicPart(Compared):
    """One part of the 三公 (a 决算 format adds its counts: see its fields.yaml)."""


class ThreePublic(Strict):
    """财政拨款“三公”经费（表10）, its four parts."""

    abroad: Optional[ThreePublicPart] = Field(None, description="因公出国（境）费")
    vehicle_purchase: Optional[ThreePublicPart] = Field(None, description="公务用车购置费")
    vehicle_operation: Optional[ThreePublicPart] = Field(None, description="公务用车运行费")
    reception: Optional[ThreePublicPart] = Field(None, description="公务接待费")


class CarryoverItem(Strict):
    """One line of 表11 上年结转结余."""

    name: str = Field(description="项目（文号与名称）")
    amount: Amount = Field(description="金额（万元）")
    fiscal: bool = Field(True, description="true 为财政拨款，false 为非财政拨款")
    purpose: Optional[str] = Field(None, description="主要用于")


class OperatingCosts(Compared):
    """机关运行经费: its amount is the 公用经费 of 表6 unless given."""

    purpose: Optional[str] = Field(None, description="主要用途（可选）")


class Procurement(Strict):
    """政府采购预算."""

    goods: Amount = Field(Decimal(0), description="货物（万元）")
    works: Amount = Field(Decimal(0), description="工程（万元）")
    services: Amount = Field(Decimal(0), description="服务（万元）")
    total: Optional[Amount] = Field(None, description="合计（万元）；不填则按三项相加")
    sme_reserved: Amount = Field(Decimal(0), description="面向中小企业预留（万元）")
    micro_reserved: Amount = Field(Decimal(0), description="其中面向小微企业预留（万元）")


class AreaValue(Strict):
    area: Quantity = Field(Decimal(0), description="面积（平方米）")
    value: Amount = Field(Decimal(0), description="价值（万元）")


class CountValue(Strict):
    count: Count = Field(0, description="数量（辆）")
    value: Amount = Field(Decimal(0), description="价值（万元）")


class Vehicles(Strict):
    general: CountValue = Field(default_factory=CountValue, description="一般公务用车")
    enforcement: CountValue = Field(default_factory=CountValue, description="执法执勤用车")
    other: CountValue = Field(default_factory=CountValue, description="其他车辆")


class PlannedPurchases(Strict):
    vehicles: Count = Field(0, description="本年预算安排购置车辆（辆）")
    equipment_50: Count = Field(0, description="安排购置单位价值 50 万元以上大型设备（台）")
    equipment_100: Count = Field(0, description="安排购置单位价值 100 万元以上大型设备（台）")


class Assets(Strict):
    """国有资产占用使用情况, as at the end of last year."""

    buildings: AreaValue = Field(default_factory=AreaValue, description="房屋")
    vehicles: Vehicles = Field(default_factory=Vehicles, description="车辆")
    furniture: Amount = Field(Decimal(0), description="办公家具价值（万元）")
    other: Amount = Field(Decimal(0), description="其他资产价值（万元）")
    equipment_50: Count = Field(0, description="单位价值 50 万元以上大型设备（台）")
    equipment_100: Count = Field(0, description="单位价值 100 万元以上大型设备（台）")
    planned: PlannedPurchases = Field(default_factory=PlannedPurchases, description="本年预算安排购置")


class Figures(Strict):
    """一个部门（单位）一年的预算数字：narrator 的输入。"""

    model_config = ConfigDict(
        extra="forbid", coerce_numbers_to_str=True, frozen=True,
        title="narrator 数据文件（figures.yaml）",
    )

    department: str = Field(description="部门（单位）名称")
    year: int = Field(ge=2000, le=2100, description="预算年度")
    unit: Literal["万元", "元"] = Field(
        "万元", description="金额单位：万元，或元（读入时按 1 万元 = 10000 元精确换算为万元，文中仍写万元）"
    )
    basis: Literal["上年预算", "上年执行数", "上年决算"] = Field(
        "上年预算", description="“上年”的比较口径：预算公开为上年预算或上年执行数，决算公开为上年决算"
    )
    format: Optional[str] = Field(
        None, description="文档格式（可选，见 narrator formats，如 xinjiang-2025、hebei-2021）；不写为 xinjiang-2025"
    )
    region: Optional[str] = Field(None, description="地区名称（可选）")
    income: Income = Field(default_factory=Income, description="收入预算（表1、表2）")
    expenditure: BasicProject = Field(default_factory=BasicProject, description="支出预算（表3）")
    general_budget: BasicProject = Field(
        default_factory=BasicProject, description="一般公共预算当年拨款（表5）"
    )
    functional: list[FunctionalItem] = Field(default_factory=list, description="支出功能分类，每个项一条")
    names: dict[str, str] = Field(
        default_factory=dict,
        description="科目名称，按本部门表格所印（编码: 名称，类、款、项及经济分类均可；不填用科目表中的名称）",
    )
    classification: Optional[str] = Field(
        None, description="所用的官方科目表文件（narrator classification import 生成；相对于本数据文件）"
    )
    purposes: dict[str, str] = Field(default_factory=dict, description="一般公共预算各类支出主要用于")
    declared: dict[str, Amount] = Field(
        default_factory=dict, description="表中印出的合计数（与分项之和有尾差时填写）"
    )
    economic: dict[str, Amount] = Field(
        default_factory=dict, description="一般公共预算基本支出，按经济分类款级科目（5 位）"
    )
    projects: list[Project] = Field(default_factory=list, description="项目支出（表7）")
    three_public: ThreePublic = Field(default_factory=ThreePublic, description="财政拨款“三公”经费（表10）")
    carryover: list[CarryoverItem] = Field(default_factory=list, description="上年结转结余（表11）")
    operating_costs: OperatingCosts = Field(default_factory=OperatingCosts, description="机关运行经费")
    procurement: Procurement = Field(default_factory=Procurement, description="政府采购预算")
    assets: Assets = Field(default_factory=Assets, description="国有资产占用使用情况（上年底）")
    performance: Performance = Field(default_factory=Performance, description="预算绩效情况")
    notes: dict[str, str] = Field(
        default_factory=dict, description="各段落的补充说明（由人填写），键由格式规定，见格式的 README"
    )
    other_notes: Optional[str] = Field(None, description="其他需说明的事项")

    @field_validator("unit")
    @classmethod
    def _amounts_are_in_wan(cls, value: str) -> str:
        # amounts written in 元 are converted as they are validated (see schema_types.Amount)
        return "万元"

    @field_validator("purposes", "declared", "economic", "names", mode="before")
    @classmethod
    def _keys_as_text(cls, value: object) -> object:
        if isinstance(value, dict):
            return {code_text(k): v for k, v in value.items()}
        return value
