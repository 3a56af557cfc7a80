"""The shapes of the data files a format author writes, and one validator for all of them.

``rules/shapes/files.yaml`` says, for ``format.yaml``, rule sets, checks and lint rules (and each
lint kind's parameters), which keys there are, their types, which are required, and what each
means. :func:`problems` walks a loaded file against its shape and returns every problem at once
— an unknown key with a did-you-mean, a missing key, a value of the wrong type or not among its
allowed values — each located at its line, the way a figures file is checked.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from .errors import Finding, Location
from .resources import rules_dir
from .loading.yamlload import LocatedDict, LocatedList, load_yaml

_GENERIC = re.compile(r"^(list|map)\[(.+)\]$")
_TYPE_NAMES = {"text": "文字", "int": "整数", "number": "数", "bool": "true 或 false", "list": "列表",
               "map": "映射", "any": "任意值"}


@cache
def shapes() -> dict[str, Any]:
    """Every shape of ``rules/shapes/files.yaml``, by name (format, rule-set, rule, checks, …)."""
    return load_yaml(rules_dir() / "shapes" / "files.yaml")


def lint_kind_fields(kind: str) -> dict[str, Any]:
    """The parameters a lint rule of ``kind`` may have, by name."""
    return dict(shapes()["lint-kinds"].get(kind) or {})


def _spec(spec: Any) -> dict[str, Any]:
    """A field spec as a mapping (a bare type string is shorthand for ``{type: …}``)."""
    return {"type": spec} if isinstance(spec, str) else dict(spec)


def _parse(type_text: str) -> tuple[str, dict[str, Any] | None]:
    """``list[text]`` → (``list``, {type: text}); ``text`` → (``text``, None)."""
    match = _GENERIC.match(type_text.strip())
    if match:
        return match.group(1), {"type": match.group(2)}
    return type_text.strip(), None


def _is(value: Any, base: str) -> bool:
    if base == "any":
        return True
    if base == "text":
        return isinstance(value, str)
    if base == "bool":
        return isinstance(value, bool)
    if base == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if base == "number":
        return isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    if base == "list":
        return isinstance(value, list)
    if base in ("map", "mapping"):
        return isinstance(value, dict)
    raise ValueError(f"unknown type {base!r} in rules/shapes/files.yaml")


class _Walker:
    """Collects the problems of one file against one shape."""

    def __init__(self, shown: str, rule: str, what: str) -> None:
        self.shown, self.rule, self.what = shown, rule, what
        self.found: list[Finding] = []

    def report(self, mark: tuple[int, int], message: str) -> None:
        self.found.append(Finding(Location(self.shown, *mark), "error", self.rule, f"{self.what}{message}"))

    def mapping(self, value: Any, keys: dict[str, Any], path: str, mark: tuple[int, int]) -> None:
        if not isinstance(value, dict):
            self.report(mark, f"{path or '文件'} 应是映射（键: 值）")
            return
        marks = getattr(value, "key_marks", {})
        known = list(keys)
        for key in value:
            where = marks.get(key, mark)
            if key not in keys:
                import difflib  # only for a mistake: a cold command need not load it

                guess = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
                hint = f"，是否想写 “{guess[0]}”？" if guess else f"；可写的键：{'、'.join(known)}"
                self.report(where, f"未知的键 “{_joined(path, key)}”{hint}")
                continue
            self.field(value[key], _spec(keys[key]), _joined(path, key), where)
        for key, spec in keys.items():
            if _spec(spec).get("required") and key not in value:
                self.report(mark, f"缺少 {_joined(path, key)}（{_spec(spec).get('doc', '')}）".replace("（）", ""))

    def field(self, value: Any, spec: dict[str, Any], path: str, mark: tuple[int, int]) -> None:
        if "ref" in spec:  # the keys of another shape; the type may still allow e.g. a bare expression
            spec = {**spec, "keys": shapes()[spec["ref"]]["keys"], "type": spec.get("type", "mapping")}
        if "keys" in spec and "type" not in spec:
            spec = {**spec, "type": "mapping"}
        choices = spec.get("type", "any")
        choices = choices if isinstance(choices, list) else [choices]
        for choice in choices:
            base, inner = _parse(str(choice))
            if _is(value, base):
                self._inside(value, base, inner or spec.get("items") or spec.get("values"), spec, path, mark)
                break
        else:
            wanted = "或".join(_type_name(str(c)) for c in choices)
            self.report(mark, f"{path} 应为{wanted}，写的是 {_shown(value)}")
            return
        allowed = spec.get("one_of")
        if allowed is not None and value not in allowed:
            import difflib  # only for a mistake: a cold command need not load it

            guess = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.5)
            hint = f"，是否想写 “{guess[0]}”？" if guess else ""
            self.report(mark, f"{path} 的值 “{value}” 不在可选值 {'、'.join(map(str, allowed))} 中{hint}")

    def _inside(self, value: Any, base: str, inner: Any, spec: dict[str, Any], path: str,
                mark: tuple[int, int]) -> None:
        if base == "mapping":
            self.mapping(value, spec.get("keys") or {}, path, mark)
        elif base == "list" and inner is not None:
            marks = getattr(value, "item_marks", [])
            for index, item in enumerate(value):
                self.field(item, _spec(inner), f"{path}[{index + 1}]", marks[index] if index < len(marks) else mark)
        elif base == "map" and inner is not None:
            marks = getattr(value, "key_marks", {})
            for key, item in value.items():
                self.field(item, _spec(inner), _joined(path, key), marks.get(key, mark))


def _joined(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _type_name(type_text: str) -> str:
    base, inner = _parse(type_text)
    name = _TYPE_NAMES.get(base, base)
    return f"{_type_name(inner['type'])}的{name}" if inner else name


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空值"
    return f"“{value}”"


def problems(data: Any, shape: str, shown: str, rule: str, what: str = "",
             extra_keys: dict[str, Any] | None = None) -> list[Finding]:
    """Every problem of ``data`` (a loaded YAML file) against the shape called ``shape``.

    ``rule`` names the findings (``bad-format``, ``bad-lint-rule``, …); ``what`` starts each
    message (e.g. “格式 x 的 format.yaml：”); ``extra_keys`` adds keys to the shape's own (a lint
    rule's kind parameters).
    """
    walker = _Walker(shown, rule, what)
    keys = {**(shapes()[shape].get("keys") or {}), **(extra_keys or {})}
    walker.mapping(data, keys, "", getattr(data, "mark", (1, 1)) if isinstance(data, (LocatedDict, LocatedList)) else (1, 1))
    return walker.found
