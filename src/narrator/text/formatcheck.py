"""``narrator formats --check``: a format folder checked whole before anyone renders with it.

Structure first (:mod:`narrator.shapes`: unknown keys with a did-you-mean, missing keys, wrong
types), then what only the format's neighbours can tell: the section and document templates
exist and compile, the rule sets it names exist and load, ``rule_settings`` only overrides
settings those rule sets have, and every phrase group has a wording for each case its records
can be in — the cases are the string values of the rule that picks them (``trend`` unless a
template passes another, e.g. ``phrase('plan', c, c.plan_trend)``), so a case spelt ``sme:``
is found here, not when some department's figures first hit it.
"""

from __future__ import annotations

import ast
import difflib
import re
from pathlib import Path
from typing import Any

import jinja2

from ..errors import Finding, Location, NarratorError
from ..shapes import problems
from ..loading.yamlload import load_yaml

_PHRASE_CALL = re.compile(r"phrase\(\s*['\"]([\w-]+)['\"]\s*,\s*[\w.\[\]'\"]+\s*(?:,\s*([\w.]+))?\s*\)")
_RULE = "bad-format"


def format_folders(folder: Path) -> list[Path]:
    """The format folders ``folder`` stands for: itself when it has a format.yaml, else its children."""
    if (folder / "format.yaml").is_file():
        return [folder]
    return sorted(p for p in folder.iterdir() if (p / "format.yaml").is_file() and not p.name.startswith("_"))


def check_folder(folder: Path) -> list[Finding]:
    """Every problem of every format under ``folder`` (see the module docstring)."""
    if not folder.is_dir():
        raise NarratorError.at(Location(str(folder)), "not-a-folder", "不是文件夹，或文件夹不存在")
    folders = format_folders(folder)
    if not folders:
        raise NarratorError.at(Location(str(folder)), "no-format",
                               "此文件夹及其下一层都没有 format.yaml，不是格式文件夹")
    found: list[Finding] = []
    for one in folders:
        found.extend(check_format(one))
    if not found:
        for one in folders:
            found.extend(golden_problems(one))
    return found


def golden_problems(folder: Path) -> list[Finding]:
    """Each ``tests/<case>/`` of a format whose figures no longer render to its ``expected.md``."""
    from ..intake.figures import load_figures
    from .formats import templates_added
    from .render import render_figures

    found = []
    cases = sorted(p for p in (folder / "tests").glob("*") if (p / "figures.yaml").is_file())
    if not cases:
        return found
    with templates_added(folder.parent):
        for case in cases:
            expected_path = case / "expected.md"
            try:
                text = render_figures(load_figures(case / "figures.yaml"), folder.name).text
            except NarratorError as error:
                found.extend(error.findings)
                continue
            expected = expected_path.read_text(encoding="utf-8") if expected_path.is_file() else ""
            if text != expected:
                found.append(_first_difference(expected_path, expected, text))
    return found


def _first_difference(path: Path, expected: str, text: str) -> Finding:
    wanted, made = expected.splitlines(), text.splitlines()
    for number, (one, other) in enumerate(zip(wanted, made), start=1):
        if one != other:
            return Finding(Location(str(path), number, 1), "error", "golden-mismatch",
                           f"生成的文字与此文件第 {number} 行不同：应为 “{one}”，生成的是 “{other}”")
    number = min(len(wanted), len(made)) + 1
    return Finding(Location(str(path), number, 1), "error", "golden-mismatch",
                   f"生成的文字{'比此文件多' if len(made) > len(wanted) else '比此文件少'}"
                   f" {abs(len(made) - len(wanted))} 行（从第 {number} 行起）")


def check_format(folder: Path) -> list[Finding]:
    """Every problem of the format in ``folder``."""
    path = folder / "format.yaml"
    shown = str(path)
    try:
        data = load_yaml(path)
    except NarratorError as error:
        return list(error.findings)
    what = f"格式 {folder.name} 的 format.yaml："
    found = problems(data, "format", shown, _RULE, what)
    if not isinstance(data, dict):
        return found
    marks = getattr(data, "key_marks", {})

    def at(key: str) -> Location:
        return Location(shown, *marks.get(key, (1, 1)))

    if isinstance(data.get("name"), str) and data["name"] != folder.name:
        found.append(Finding(at("name"), "error", _RULE, f"{what}name 应与文件夹名相同：{folder.name}"))
    templates = [str(t) for t in data.get("sections") or [] if isinstance(t, str)]
    templates.append(str(data.get("document", "document.md.j2")))
    sources = {}
    for relative in templates:
        source = _template_problem(folder, relative, found, at("sections"), what)
        if source is not None:
            sources[relative] = source
    for macro in sorted(folder.rglob("*.j2")):  # macros and other templates the sections import
        relative = macro.relative_to(folder).as_posix()
        if relative not in sources:
            source = _template_problem(folder, relative, found, at("sections"), what)
            if source is not None:
                sources[relative] = source
    found.extend(_fields_problems(folder))
    rule_sets = [str(r) for r in data.get("rules") or [] if isinstance(r, str)] \
        if isinstance(data.get("rules"), list) else []
    ruleset = _rule_sets(rule_sets, found, at("rules"), what)
    if ruleset is not None:
        settings = data.get("rule_settings")
        for key in settings if isinstance(settings, dict) else {}:
            if key not in ruleset.settings:
                guess = difflib.get_close_matches(str(key), list(ruleset.settings), n=1)
                hint = f"，是否想写 “{guess[0]}”？" if guess else f"；可覆盖的设置：{'、'.join(ruleset.settings)}"
                found.append(Finding(Location(shown, *settings.key_marks.get(key, (1, 1))), "error", _RULE,
                                     f"{what}rule_settings.{key}：规则集 {'、'.join(rule_sets)} 中没有这项设置{hint}"))
        phrases = data.get("phrases")
        if isinstance(phrases, dict):
            found.extend(_phrase_problems(phrases, sources, ruleset, shown, what))
    return found


def _fields_problems(folder: Path) -> list[Finding]:
    """The format's ``fields.yaml`` (the figures fields it adds), when it has one."""
    from .formatfields import FIELDS_FILE, field_problems

    path = folder / FIELDS_FILE
    if not path.is_file():
        return []
    try:
        return field_problems(load_yaml(path), str(path))
    except NarratorError as error:
        return list(error.findings)


def _template_problem(folder: Path, relative: str, found: list[Finding], where: Location, what: str) -> str | None:
    from .environment import environment

    path = folder / relative
    if not path.is_file():
        found.append(Finding(where, "error", _RULE, f"{what}找不到模板 {relative}（应在 {folder} 下）"))
        return None
    source = path.read_text(encoding="utf-8")
    try:
        environment().parse(source, relative, str(path))
    except jinja2.TemplateSyntaxError as exc:
        found.append(Finding(Location(str(path), exc.lineno or 1), "error", "template-syntax",
                             f"模板语法错误：{exc.message}"))
    return source


def _rule_sets(names: list[str], found: list[Finding], where: Location, what: str) -> Any:
    from ..compute.rules import load_rule_sets

    try:
        return load_rule_sets(tuple(names))
    except NarratorError as error:
        found.extend(error.findings)
        return None


def _cases(ruleset: Any, attr: str) -> set[str]:
    """The string values the rules named ``attr`` (any owner) can take: the cases of a phrase."""
    cases: set[str] = set()
    for rule in ruleset.all_rules():
        if rule.attr == attr:
            try:
                tree = ast.parse(rule.text, mode="eval")
            except SyntaxError:
                continue
            cases.update(node.value for node in ast.walk(tree)
                         if isinstance(node, ast.Constant) and isinstance(node.value, str))
    return cases


def _phrase_problems(phrases: dict, sources: dict[str, str], ruleset: Any, shown: str, what: str) -> list[Finding]:
    """Phrase groups against the cases their templates pick: a case missing, or one that never occurs."""
    picked: dict[str, str] = {}   # group -> the rule attribute that picks its case
    for source in sources.values():
        for group, chooser in _PHRASE_CALL.findall(source):
            picked.setdefault(group, chooser.rsplit(".", 1)[-1] if chooser else "trend")
    found = []
    for group, cases in phrases.items():
        if not isinstance(cases, dict):
            continue
        marks = getattr(cases, "key_marks", {})
        where = Location(shown, *phrases.key_marks.get(group, (1, 1)))
        if group not in picked:
            continue  # a group no template of the format uses: harmless, and may be used by a user's copy
        possible = _cases(ruleset, picked[group])
        if not possible:
            continue
        for case in cases:
            if case not in possible:
                guess = difflib.get_close_matches(str(case), sorted(possible), n=1)
                hint = f"，是否想写 “{guess[0]}”？" if guess else ""
                mark = marks.get(case, (where.line, where.column))
                found.append(Finding(Location(shown, *mark), "error", _RULE,
                                     f"{what}phrases.{group}.{case}：{picked[group]} 没有 “{case}” 这种情形{hint}"
                                     f"（可有的情形：{'、'.join(sorted(possible))}）"))
        missing = sorted(possible - set(cases))
        if missing:
            found.append(Finding(where, "error", _RULE,
                                 f"{what}phrases.{group} 缺少 {'、'.join(missing)} 情形的写法"
                                 f"（模板按 {picked[group]} 选用，遇到这种情形时无话可写）"))
    return found
