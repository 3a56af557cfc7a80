"""Loading and validating a figures file, with every problem reported at once.

Problems are reported in Chinese with file, line and field (copier-style: the whole file is
checked, not just up to the first mistake): unknown keys with a did-you-mean, amounts that are
not numbers, negative amounts, codes that are not in the classification, duplicate 项.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .classification import Classification, load_classification, load_vocabulary
from .errors import Finding, FiguresError, Location
from .numbers import WAN_PER_UNIT
from .schema import Figures
from .yamlload import load_yaml, load_yaml_text, locate


@dataclass(frozen=True)
class LoadedFigures:
    """A validated figures file together with its raw YAML tree (for locations)."""

    model: Figures
    raw: Any
    path: str

    def locate(self, *parts: Any) -> Location:
        """Where the figure at ``parts`` (keys and indexes) is written."""
        return locate(self.raw, parts, self.path)


def load_figures(path: Path | str, display: str | None = None) -> LoadedFigures:
    """Read, parse and validate a figures file; raise :class:`FiguresError` listing all problems."""
    shown = display or str(path)
    return validate_figures(load_yaml(path, shown), shown)


def load_figures_text(text: str, display: str) -> LoadedFigures:
    """Like :func:`load_figures`, from text already in memory."""
    return validate_figures(load_yaml_text(text, display), display)


def validate_figures(raw: Any, path: str) -> LoadedFigures:
    """Validate a parsed YAML tree against the schema and the classification tables."""
    if not isinstance(raw, dict):
        raise FiguresError.at(
            Location(path, *getattr(raw, "mark", (1, 1))), "not-a-mapping",
            "数据文件应是 “键: 值” 形式的映射（以 department:、year: 等开头）",
        )
    unit = raw.get("unit")
    context = {"unit": unit} if isinstance(unit, str) and unit in WAN_PER_UNIT else None
    try:
        # amounts in 元 become 万元 as they are read, so that nothing after this sees 元
        model = Figures.model_validate(raw, context=context)
    except ValidationError as exc:
        raise FiguresError(_schema_findings(exc, raw, path)) from None
    loaded = LoadedFigures(model, raw, path)
    findings = _classification_findings(loaded)
    if findings:
        raise FiguresError(findings)
    return loaded


# -- schema errors -------------------------------------------------------------------------

def _schema_findings(exc: ValidationError, raw: Any, path: str) -> list[Finding]:
    findings = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        field = _dotted(loc)
        rule, message = _translate(error, loc)
        findings.append(Finding(locate(raw, loc, path), "error", rule, f"{field}：{message}"))
    return sorted(findings, key=lambda f: (f.location.line, f.location.column, f.message))


def _dotted(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _translate(error: dict, loc: tuple) -> tuple[str, str]:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "extra_forbidden":
        key = loc[-1]
        known = _known_keys(loc[:-1])
        guess = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
        hint = f"，是否想写 “{guess[0]}”？" if guess else f"。可用的字段：{'、'.join(known)}"
        return "unknown-key", f"未知字段 “{key}”{hint}"
    if kind == "missing":
        return "missing-field", "缺少必填字段"
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
        rule = "negative-amount" if "负数" in message else "amount-format"
        return rule, message
    if kind == "string_pattern_mismatch":
        return "unknown-code", f"“{given}” 不是 7 位的功能分类项级科目编码"
    if kind == "literal_error":
        return "bad-value", f"“{given}” 不是可用的取值，应为：{ctx.get('expected', '')}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "bad-value", f"“{given}” 应为整数"
    if kind in ("greater_than_equal", "less_than_equal"):
        return "bad-value", f"“{given}” 超出范围"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "bad-shape", "此处应为 “键: 值” 形式的映射"
    if kind == "list_type":
        return "bad-shape", "此处应为列表（每项以 “- ” 开头）"
    if kind in ("bool_parsing", "bool_type"):
        return "bad-value", f"“{given}” 应为 true 或 false"
    if kind in ("string_type",):
        return "bad-value", "此处应为文字"
    return "bad-value", f"取值不合要求（{error['msg']}）"


def _known_keys(loc: tuple) -> list[str]:
    """Field names allowed at ``loc`` in the schema (for did-you-mean)."""
    annotation: Any = Figures
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = typing.get_args(annotation)
            annotation = args[0] if args else Any
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            annotation = field.annotation if field else Any
        else:
            args = typing.get_args(annotation)
            annotation = args[-1] if args else Any
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Optional[X] → X."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


# -- classification errors -----------------------------------------------------------------

def _unknown_code(table: Classification, code: str, year: int, what: str) -> str:
    guesses = [f"{c} {table.name(c, year)}" for c in table.suggest(code)]
    hint = f"；是否想写 {'、'.join(f'“{g}”' for g in guesses)}？" if guesses else "。"
    return f"“{code}” 不是{table.title}中的{what}{hint}"


def _classification_findings(loaded: LoadedFigures) -> list[Finding]:
    model = loaded.model
    functional = load_classification("functional")
    economic = load_classification("economic")
    findings: list[Finding] = []

    def report(rule: str, message: str, *parts: Any) -> None:
        findings.append(Finding(loaded.locate(*parts), "error", rule, message))

    seen: dict[str, int] = {}
    for index, item in enumerate(model.functional):
        if item.code not in functional:
            report("unknown-code", _unknown_code(functional, item.code, model.year, "项级科目"),
                   "functional", index, "code")
        elif item.code in seen:
            report("duplicate-code", f"项 {item.code} 已在第 {seen[item.code] + 1} 条写过，每个项只写一条",
                   "functional", index, "code")
        seen.setdefault(item.code, index)
    for code in model.purposes:
        if len(code) != 3 or code not in functional:
            report("unknown-code", _unknown_code(functional, code, model.year, "类级科目"), "purposes", code)
    declared_names = load_vocabulary()["declared_names"]
    for key in model.declared:
        if key not in declared_names and (len(key) not in (3, 5, 7) or key not in functional):
            guess = difflib.get_close_matches(key, list(declared_names), n=1, cutoff=0.5)
            hint = (f"是否想写 “{guess[0]}”？" if guess else
                    f"可写功能分类编码或：{'、'.join(declared_names)}")
            report("unknown-key", f"declared 中的 “{key}” 既不是功能分类编码也不是合计名；{hint}",
                   "declared", key)
    for code in model.economic:
        if len(code) != 5 or code not in economic:
            report("unknown-code", _unknown_code(economic, code, model.year, "款级科目"), "economic", code)
    for index, project in enumerate(model.projects):
        if project.code and project.code not in functional:
            report("unknown-code", _unknown_code(functional, project.code, model.year, "项级科目"),
                   "projects", index, "code")
        for code in project.economic:
            if len(code) != 3 or code not in economic:
                report("unknown-code", _unknown_code(economic, code, model.year, "类级科目"),
                       "projects", index, "economic", code)
    return findings
