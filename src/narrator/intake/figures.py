"""Loading and validating a figures file, with every problem reported at once.

Problems are reported in Chinese with file, line and field (copier-style: the whole file is
checked, not just up to the first mistake): unknown keys with a did-you-mean, amounts that are
not numbers, negative amounts, codes that are not in the classification, duplicate 项.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..classification import LEVELS, Classification, kind_of, load_vocabulary
from ..classification.naming import Naming, UsedCode, check_names, given_names
from ..classification.reference import KINDS, editions_now, load_edition
from ..errors import Finding, FiguresError, Location, NarratorError
from .fieldschema import Model, schema_for
from ..numbers import WAN_PER_UNIT
from .validator import Validated, validate
from ..loading.yamlload import load_yaml, load_yaml_text, locate


@dataclass(frozen=True)
class LoadedFigures:
    """A validated figures file together with its raw YAML tree (for locations)."""

    model: Validated
    raw: Any
    path: str
    naming: Naming | None = None
    #: Findings that do not refuse the figures (names that differ from the reference…)
    notes: tuple[Finding, ...] = ()
    #: The format whose fields the figures were validated with (None: the core fields only)
    format_name: str | None = None
    #: The formats whose fields the model has (the one above, or two: figures rendered in another format)
    fields_of: tuple[str | None, ...] = ()

    def locate(self, *parts: Any) -> Location:
        """Where the figure at ``parts`` (keys and indexes) is written."""
        return locate(self.raw, parts, self.path)


def load_figures(path: Path | str, display: str | None = None, format_name: str | None = None) -> LoadedFigures:
    """Read, parse and validate a figures file; raise :class:`FiguresError` listing all problems.

    The fields allowed are the core ones and those of the format: ``format_name``, else the one
    the file names (``format:``), else the default format.
    """
    shown = display or str(path)
    return validate_figures(load_yaml(path, shown), shown, format_name)


def load_figures_text(text: str, display: str, format_name: str | None = None) -> LoadedFigures:
    """Like :func:`load_figures`, from text already in memory."""
    return validate_figures(load_yaml_text(text, display), display, format_name)


def for_format(loaded: LoadedFigures, format_name: str | None) -> LoadedFigures:
    """``loaded`` validated with the fields of ``format_name`` (itself when it already was).

    Unlike loading with ``format_name``, the figures may name another format: the library can
    render any figures in any format whose fields they fit (the commands refuse a mismatch).
    """
    if format_name is None or format_name == loaded.format_name:
        return loaded
    return validate_figures(loaded.raw, loaded.path, fields_of=(loaded.format_name, format_name))


def validate_figures(raw: Any, path: str, format_name: str | None = None,
                     fields_of: tuple[str | None, ...] = ()) -> LoadedFigures:
    """Validate a parsed YAML tree against the schema of its format and the classification tables.

    The format is the one :func:`narrator.text.formats.choose_format` picks from ``format_name`` and
    the figures' own ``format:``; ``fields_of`` instead names the formats whose fields are allowed
    (the last is the one the figures are then in).
    """
    if not isinstance(raw, dict):
        raise FiguresError.at(
            Location(path, *getattr(raw, "mark", (1, 1))), "not-a-mapping",
            "数据文件应是 “键: 值” 形式的映射（以 department:、year: 等开头）",
        )
    unit = raw.get("unit")
    chosen = fields_of[-1] if fields_of else _choose_format()(format_name, raw, path)
    schema = schema_for(*fields_of) if fields_of else schema_for(chosen)
    # amounts in 元 become 万元 as they are read, so that nothing after this sees 元
    model, errors = validate(schema, raw, unit if isinstance(unit, str) and unit in WAN_PER_UNIT else None)
    if model is None:
        raise FiguresError(_schema_findings(errors, raw, path, schema, chosen))
    loaded = LoadedFigures(model, raw, path, format_name=chosen, fields_of=fields_of or (chosen,))
    findings, naming = _classification_findings(loaded)
    errors = [f for f in findings if f.level == "error"]
    if errors:
        raise FiguresError(sorted(errors, key=_place))
    # (made again rather than through dataclasses.replace, which looks up every field: ~1 % of validating)
    return LoadedFigures(model, raw, path, naming, tuple(sorted(findings, key=_place)), chosen, loaded.fields_of)


def _choose_format() -> Any:
    """:func:`narrator.text.formats.choose_format`, imported at its first use (the formats import
    jinja2, which reading figures does not need) and kept (an import statement per file was ~1 %
    of validating it)."""
    global _CHOOSE
    if _CHOOSE is None:
        from ..text.formats import choose_format
        _CHOOSE = choose_format
    return _CHOOSE


_CHOOSE: Any = None


def _place(finding: Finding) -> tuple:
    return (finding.location.line, finding.location.column, finding.rule)


# -- schema errors -------------------------------------------------------------------------

def _schema_findings(errors: list[dict[str, Any]], raw: Any, path: str, schema: Model,
                     format_name: str | None) -> list[Finding]:
    findings = []
    for error in errors:
        loc = tuple(error["loc"])
        field = _dotted(loc)
        rule, message = _translate(error, loc, schema, format_name)
        findings.append(Finding(locate(raw, loc, path), "error", rule, f"{field}：{message}"))
    return sorted(findings, key=lambda f: (f.location.line, f.location.column, f.message))


def _dotted(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _translate(error: dict, loc: tuple, schema: Model, format_name: str | None) -> tuple[str, str]:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "extra_forbidden":
        return "unknown-key", _unknown_key(loc, schema, format_name)
    if kind == "missing":
        return "missing-field", "缺少必填字段"
    if kind == "text_format":
        return "text-format", error["msg"]
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
        rule = "negative-amount" if "负数" in message else "amount-format"
        return rule, message
    if kind == "string_pattern_mismatch":
        return "unknown-code", f"“{given}” 不是 7 位的功能分类项级科目编码"
    if kind == "literal_error":
        # the validator words the choices as pydantic does, in English (“'万元' or '元'”): list them the Chinese way
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return "bad-value", f"“{given}” 不是可用的取值，可选：{'、'.join(choices)}"
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


def _unknown_key(loc: tuple, schema: Model, format_name: str | None) -> str:
    """“未知字段” with a did-you-mean, or the formats that have the field when this one does not."""
    from .fieldschema import formats_declaring, model_at

    key, where = loc[-1], loc[:-1]
    here = model_at(schema, where)
    known = list(here.fields) if here is not None else []
    others = [name for name in formats_declaring(where, str(key)) if name != format_name]
    if others:
        return (f"“{key}” 是格式 {'、'.join(others)} 的字段，本文件按格式 {format_name} 读取；"
                f"若本文件是该格式，请写 format: {others[0]}")
    import difflib  # only for a mistake: a cold command need not load it

    guess = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
    if guess:
        return f"未知字段 “{key}”，是否想写 “{guess[0]}”？"
    return f"未知字段 “{key}”。可用的字段：{'、'.join(known)}"


# -- classification ------------------------------------------------------------------------

_LEVEL_WHAT = {3: "类级科目", 5: "款级科目", 7: "项级科目"}


def _unknown_code(table: Classification | None, code: str, year: int) -> str:
    what = _LEVEL_WHAT.get(len(code), "科目")
    guesses = [f"{c} {table.name(c, year)}" for c in table.suggest(code)] if table else []
    hint = f"是否想写 {'、'.join(f'“{g}”' for g in guesses)}？" if guesses else ""
    title = table.title if table else "政府收支分类科目"
    return (f"“{code}” 不是{title}中的{what}；{hint}"
            f"若确有此科目，请在 names: 中写明其名称（按本部门表格所印）")


def _editions(loaded: LoadedFigures) -> tuple[Classification, ...]:
    """The official edition the figures name (``classification:``), before those in use."""
    named = loaded.model.classification
    if not named:
        return editions_now()
    path = Path(loaded.path).parent / named
    try:
        return (load_edition(path),) + editions_now()
    except NarratorError as error:
        where = loaded.locate("classification")
        raise FiguresError([Finding(where, "error", "classification-file", f.message) for f in error.findings]) from None


def _used_codes(loaded: LoadedFigures, given: dict[str, str], report: Any) -> list[UsedCode]:
    """Every code the figures use, first use first, with the name they give it and where."""
    names = loaded.model.names
    return [UsedCode(code, loaded.locate(*where), given.get(code),
                     loaded.locate(*named_at) if named_at else loaded.locate("names", code) if code in names else None)
            for code, (where, named_at) in _uses(loaded, report).items()]


def _uses(loaded: LoadedFigures, report: Any) -> dict[str, tuple[tuple, tuple]]:
    """Every code the figures use, first use first: where (keys and indexes), and where it is named."""
    model = loaded.model
    used: dict[str, tuple[tuple, tuple]] = {}

    def use(code: str, *where: Any, named_at: tuple = ()) -> None:
        if code not in used:
            used[code] = (where, named_at)

    seen: dict[str, int] = {}
    for index, item in enumerate(model.functional):
        if item.code in seen:
            report("duplicate-code", f"项 {item.code} 已在第 {seen[item.code] + 1} 条写过，每个项只写一条",
                   "functional", index, "code")
        seen.setdefault(item.code, index)
        use(item.code, "functional", index, "code", named_at=("functional", index, "name") if item.name else ())
        use(item.code[:5], "functional", index, "code")
        use(item.code[:3], "functional", index, "code")
    for code in model.purposes:
        if len(code) != 3 or kind_of(code) != "functional":
            report("unknown-code", f"purposes 的键 “{code}” 应为功能分类类级科目编码（3 位，如 201）", "purposes", code)
        else:
            use(code, "purposes", code)
    declared_names = load_vocabulary()["declared_names"]
    for key in model.declared:
        if key in declared_names:
            continue
        if key.isdigit() and len(key) in (3, 5, 7) and kind_of(key) == "functional":
            use(key, "declared", key)
            continue
        import difflib  # only for a mistake: a cold command need not load it

        guess = difflib.get_close_matches(key, list(declared_names), n=1, cutoff=0.5)
        hint = f"是否想写 “{guess[0]}”？" if guess else f"可写功能分类编码或：{'、'.join(declared_names)}"
        report("unknown-key", f"declared 中的 “{key}” 既不是功能分类编码也不是合计名；{hint}", "declared", key)
    for code in model.economic:
        if len(code) != 5 or kind_of(code) != "economic":
            report("unknown-code", f"economic 的键 “{code}” 应为部门预算支出经济分类款级科目编码（5 位，如 30101）",
                   "economic", code)
        else:
            use(code, "economic", code)
    for index, project in enumerate(model.projects):
        if project.code:
            use(project.code, "projects", index, "code")
        for code in project.economic:
            if len(code) != 3 or kind_of(code) != "economic":
                report("unknown-code", f"项目的经济分类 “{code}” 应为类级科目编码（3 位，如 302）",
                       "projects", index, "economic", code)
            else:
                use(code, "projects", index, "economic", code)
    for code in model.names:  # a name given is checked even where no figure uses its code
        if not (code.isdigit() and len(code) in LEVELS and kind_of(code)):
            report("unknown-key", f"names 的键 “{code}” 应为科目编码（功能分类 3/5/7 位，经济分类 3/5 位）",
                   "names", code)
        else:
            use(code, "names", code)
    return used


def _classification_findings(loaded: LoadedFigures) -> tuple[list[Finding], Naming]:
    """Errors that refuse the figures, the notes and warnings that do not, and the naming."""
    model = loaded.model
    findings: list[Finding] = []

    def report(rule: str, message: str, *parts: Any) -> None:
        findings.append(Finding(loaded.locate(*parts), "error", rule, message))

    given = given_names(model)
    naming = Naming(model.year, given, _editions(loaded))
    if _all_quiet(loaded, given, naming):
        return [], naming  # (nearly every file: nothing located, nothing worded)
    used = _used_codes(loaded, given, report)
    findings += check_names(used, naming, lambda table, code: _unknown_code(table, code, model.year))
    return findings, naming


#: Codes that, used without a name of the figures' own, give no finding in a year with some
#: editions: {ids of the editions: (the editions, {year: codes})}. The editions are kept with their
#: sets, so their ids stay theirs; each set is only ever asked and filled for its own editions.
_QUIET: dict[tuple[int, ...], tuple[tuple, dict[int, set[str]]]] = {}


def _all_quiet(loaded: LoadedFigures, given: dict[str, str], naming: Naming) -> bool:
    """Whether the figures' codes give no finding at all, found without locating each use.

    ``check_names`` itself decides for each code, asked once per code, year and editions (when
    the figures give it no name); the first finding, or any report, sends the figures the long
    way, which finds, words and locates everything as before.
    """
    editions = naming.editions
    kept = _QUIET.get(tuple(map(id, editions)))
    if kept is None:
        if len(_QUIET) >= 16:
            _QUIET.clear()
        kept = _QUIET[tuple(map(id, editions))] = (editions, {})
    codes = _plain_codes(loaded.model)
    if codes is None:
        return False
    year = naming.year
    quiet = kept[1].setdefault(year, set())
    for code in (codes - quiet) | (given.keys() & codes):  # (a code the figures name: asked each time)
        name = given.get(code)
        if check_names([UsedCode(code, Location(loaded.path), name)], naming, lambda table, code: ""):
            return False
        if name is None:
            quiet.add(code)
    return True


def _plain_codes(model: Validated) -> set[str] | None:
    """The codes :func:`_uses` finds, as a set; None when it would report something.

    (The same tests as :func:`_uses` makes, without the places: most figures have none of its
    reports, and their codes are then only looked up. A key of ``purposes`` or ``economic`` is
    tested by a pattern of its length and the first digit of its table, as kind_of reads it.)
    """
    functional = [item.code for item in model.functional]
    if len(set(functional)) != len(functional):
        return None  # a 项 written twice
    codes = {*functional, *(code[:5] for code in functional), *(code[:3] for code in functional)}
    purposes, economic = model.purposes, model.economic
    if not all(map(_CLASS_KEY.fullmatch, purposes)) or not all(map(_ECONOMIC_KEY.fullmatch, economic)):
        return None
    codes.update(purposes, economic)
    declared_names = load_vocabulary()["declared_names"]
    for key in model.declared:
        if key not in declared_names:
            if not (key.isdigit() and len(key) in (3, 5, 7) and kind_of(key) == "functional"):
                return None
            codes.add(key)
    for project in model.projects:
        if project.code:
            codes.add(project.code)
        if not all(map(_ECONOMIC_CLASS.fullmatch, project.economic)):
            return None
        codes.update(project.economic)
    for code in model.names:
        if not (code.isdigit() and len(code) in LEVELS and kind_of(code)):
            return None
        codes.add(code)
    return codes


_CLASS_KEY = re.compile(f"{KINDS['functional']}.{{2}}", re.DOTALL)       # purposes: a 类 of the functional table
_ECONOMIC_KEY = re.compile(f"{KINDS['economic']}.{{4}}", re.DOTALL)      # economic: a 款 of its table
_ECONOMIC_CLASS = re.compile(f"{KINDS['economic']}.{{2}}", re.DOTALL)    # a project's economic: a 类
