"""The optional parts of the figures schema for performance and department profiles.

绩效目标 and 绩效自评 tables (hebei-2021, final-accounts, performance-self-evaluation) and the
部门职责及机构设置 of the Hebei format. Every field is optional for the budget formats.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import Field

from .schema_types import Amount, Count, Quantity, Strict


class Indicator(Strict):
    """One row of a 绩效指标 table (绩效目标表 or 绩效自评表)."""

    level1: str = Field(description="一级指标，如：产出指标、效益指标、满意度指标")
    level2: str = Field(description="二级指标，如：数量指标、质量指标、时效指标、成本指标")
    name: str = Field(description="三级指标")
    description: Optional[str] = Field(None, description="绩效指标描述（绩效目标表）")
    standard: Optional[str] = Field(None, description="评（扣）分标准（绩效目标表）")
    operator: Optional[str] = Field(None, description="指标性质（符号），如：≥、=、≤")
    target: Optional[str] = Field(None, description="年度指标值（照表中文字填写，如：≥48、100%）")
    unit: Optional[str] = Field(None, description="度量单位")
    basis: Optional[str] = Field(None, description="指标值确定依据（绩效目标表）")
    actual: Optional[str] = Field(None, description="实际完成值（绩效自评表）")
    weight: Optional[Quantity] = Field(None, description="分值（绩效自评表）")
    score: Optional[Quantity] = Field(None, description="得分（绩效自评表）")
    deviation: Optional[str] = Field(None, description="偏差原因分析及改进措施（由人填写；未得满分时应填写）")


class PerformanceGoal(Strict):
    """One 分项绩效目标 of a budget disclosure."""

    name: str = Field(description="名称")
    target: Optional[str] = Field(None, description="绩效目标")
    indicators: Optional[str] = Field(None, description="绩效指标（文字）")


class Performance(Strict):
    overall_targets: Count = Field(0, description="部门整体绩效目标个数")
    overall_target: Optional[str] = Field(None, description="总体绩效目标（文字，可选）")
    goals: list[PerformanceGoal] = Field(default_factory=list, description="分项绩效目标（可选）")
    measures: list[str] = Field(default_factory=list, description="工作保障措施，每条一项（可选）")
    indicators: list[Indicator] = Field(default_factory=list, description="预算项目绩效目标表（可选）")


class FundsAmounts(Strict):
    """年初预算数、全年预算数、全年执行数 of one line of a project's funds."""

    initial: Optional[Amount] = Field(None, description="年初预算数（万元）")
    annual: Optional[Amount] = Field(None, description="全年预算数（万元）")
    spent: Optional[Amount] = Field(None, description="全年执行数（万元）")


class EvaluatedProject(FundsAmounts):
    """One 项目支出绩效自评表: funds (年度资金总额), goals and indicators."""

    name: str = Field(description="项目名称")
    authority: Optional[str] = Field(None, description="主管部门")
    implementer: Optional[str] = Field(None, description="实施单位")
    current: Optional[FundsAmounts] = Field(None, description="其中：当年财政拨款")
    carryover: Optional[FundsAmounts] = Field(None, description="其中：上年结转资金")
    other: Optional[FundsAmounts] = Field(None, description="其中：其他资金")
    funds_weight: Quantity = Field(Decimal(10), description="预算执行率的分值（通常为 10 分）")
    funds_score: Optional[Quantity] = Field(None, description="预算执行率得分（表中印出的；不填则按执行率计算）")
    funds_deviation: Optional[str] = Field(None, description="预算执行偏低的原因及改进措施（执行率低于 100% 时由人填写）")
    goal: Optional[str] = Field(None, description="年度总体目标：预期目标")
    achieved: Optional[str] = Field(None, description="年度总体目标：实际完成情况")
    indicators: list[Indicator] = Field(default_factory=list, description="绩效指标")
    total_score: Optional[Quantity] = Field(None, description="总分（表中印出的；不填则相加得出）")
    grade: Optional[str] = Field(None, description="评价等级（表中印出的；不填则按得分评定）")
    notes: Optional[str] = Field(None, description="其他需要说明的事项")


class PerformanceEvaluation(Strict):
    """项目支出绩效自评: one entry per project."""

    projects: list[EvaluatedProject] = Field(default_factory=list, description="自评的项目")


class Unit(Strict):
    """One unit of 机构设置."""

    name: str = Field(description="单位名称")
    nature: Optional[str] = Field(None, description="单位性质，如：行政、事业")
    level: Optional[str] = Field(None, description="单位规格，如：正科级")
    funding: Optional[str] = Field(None, description="经费保障形式，如：财政拨款")


class Profile(Strict):
    """部门职责及机构设置（部门概况）."""

    duties: list[str] = Field(default_factory=list, description="部门职责，每条一项")
    units: list[Unit] = Field(default_factory=list, description="机构设置：所属单位")
