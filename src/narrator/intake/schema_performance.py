"""The 预算绩效 part of the core figures schema: 绩效目标, goals, measures and indicator tables.

The 绩效自评 tables (performance_evaluation) and the 部门职责及机构设置 (profile) are added by the
formats that print them, as data: ``templates/_shared/fields.yaml`` and each format's ``fields.yaml``.
"""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from .schema_types import Count, Quantity, Strict


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
