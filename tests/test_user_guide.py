"""The Chinese user guide (docs/guide/) stays true to the code.

- Every rule name narrator can print has an entry in the message catalogue
  (docs/guide/messages.md), and every entry is a rule narrator can print: a new rule without
  documentation, or a renamed one, fails here. The names are collected from the rule files
  (rules/lint, rules/checks/checks.yaml, rules/review/checks.yaml), from the Python sources with
  regular expressions, and from the fields the templates ask people to write (missing-<field>).
- Each example line of an entry is a finding of that entry's rule.
- Every ``narrator …`` command written in the guide's code blocks uses a real command and only
  options that command has.
- Every relative link and image of the guide and README points at a file that exists.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer
import yaml

from narrator.cli import app

from .conftest import ROOT

SOURCES = ROOT / "src" / "narrator"
GUIDE = ROOT / "docs" / "guide"
CATALOGUE = GUIDE / "messages.md"

# -- rule names narrator can print -----------------------------------------------------------

# The first argument of a call: anything up to the first comma outside brackets and strings.
_ARG = r'(?:[^,()"]|"[^"]*"|\((?:[^()]|\([^()]*\))*\))*'
# Rule names in call positions: Finding(where, "level", "rule", …), SomeError.at(where, "rule", …),
# and findings printed directly by the CLI (“…:0:0: 错误 file-exists …”).
_POSITIONAL = (
    re.compile(r'\bFinding\(\s*' + _ARG + r',\s*"(?:error|warning|note)",\s*(f?)"([^"]+)"'),
    re.compile(r'\.at\(\s*' + _ARG + r',\s*(f?)"([^"]*)"\s*,'),
    re.compile(r'(f?)"[^"\n]*(?:错误|警告|提示) ([a-z][\w-]*) '),
)
# Any string literal that looks like a rule name (kebab-case): rules handed to helpers such as
# ``problem(row, column, "error", "bad-code", …)`` or returned from a function are caught here.
_KEBAB = re.compile(r'(?<![\w"])(f?)"([a-z][a-z0-9]*(?:-[a-z0-9_{}]+)+)"')
# Kebab-case literals that are not rule names: text encodings and CSS words.
_NOT_RULES = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "sans-serif"}


def _names_of_things() -> set[str]:
    """Names of formats, profiles, layouts and classification kinds: kebab-case, but not rules."""
    names = {p.name for p in (ROOT / "templates").iterdir() if p.is_dir()}
    names |= {p.name for p in (ROOT / "rules").iterdir() if p.is_dir()}  # the kinds of data under rules/
    names |= {p.stem for p in (ROOT / "rules" / "profiles").glob("*.yaml")}
    names |= {p.stem for p in (ROOT / "rules" / "workbook-layouts").glob("*.yaml")}
    shapes = (ROOT / "rules" / "shapes" / "files.yaml").read_text(encoding="utf-8")
    names |= set(re.findall(r"^([a-z][\w-]*):", shapes, re.MULTILINE))  # the kinds of data file
    for path in (ROOT / "rules" / "classification").glob("*.yaml"):
        kind = re.search(r"^kind:\s*(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
        if kind:
            names.add(kind.group(1))
    return names


def _python_names() -> tuple[dict[str, str], set[str]]:
    """Rule names in the Python sources (name → file), and f-string name patterns (``no-{key}``)."""
    found: dict[str, str] = {}
    patterns: set[str] = set()
    skip = _NOT_RULES | _names_of_things()
    for path in sorted(SOURCES.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for regex in (*_POSITIONAL, _KEBAB):
            for match in regex.finditer(text):
                is_f, name = match.groups()
                if is_f and "{" in name:
                    patterns.add(name)
                elif name not in skip:
                    found.setdefault(name, path.relative_to(ROOT).as_posix())
    return found, patterns


def _split_arguments(text: str) -> list[str]:
    """The arguments of a Jinja call, split at top-level commas."""
    parts, depth, quote, current = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    return [*parts, current.strip()]


def _wanted_fields() -> set[str]:
    """The fields templates ask people to write: ``want(record, 'field', …)``, directly or
    through a macro parameter named ``…_field`` (its default and the values calls pass)."""
    fields: set[str] = set()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "templates").rglob("*.j2"))]
    macros: dict[str, int] = {}
    for text in texts:
        fields |= set(re.findall(r"\bwant\(\s*[^,()]+,\s*'(\w+)'", text))
        fields |= set(re.findall(r"\b\w+_field\s*=\s*'(\w+)'", text))
        for name, params in re.findall(r"\{%-?\s*macro\s+(\w+)\(([^)]*)\)", text):
            for index, param in enumerate(_split_arguments(params)):
                if param.split("=")[0].strip().endswith("_field"):
                    macros[name] = index
    for text in texts:
        for name, index in macros.items():
            for args in re.findall(rf"\b{name}\(([^()]*(?:\([^()]*\)[^()]*)*)\)", text):
                parts = _split_arguments(args)
                literal = re.fullmatch(r"'(\w+)'", parts[index]) if len(parts) > index else None
                if literal:
                    fields.add(literal.group(1))
    return fields


def _data_names() -> dict[str, str]:
    """Rule names defined by the rule files (name → file)."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "rules" / "lint").glob("*.yaml")):
        found[yaml.safe_load(path.read_text(encoding="utf-8"))["name"]] = "rules/lint"
    for check in yaml.safe_load((ROOT / "rules" / "checks" / "checks.yaml").read_text(encoding="utf-8"))["checks"]:
        found.setdefault(check["name"], "rules/checks/checks.yaml")
    for name in yaml.safe_load((ROOT / "rules" / "review" / "checks.yaml").read_text(encoding="utf-8")):
        found.setdefault(name, "rules/review/checks.yaml")
    return found


def emitted_names() -> tuple[dict[str, str], list[re.Pattern[str]]]:
    """Every rule name narrator can print (name → where it comes from), and name patterns."""
    found, patterns = _python_names()
    names = found | _data_names()  # a rule of the data files, even where code names it
    wanted = "missing-{field_name}"
    assert wanted in patterns, "render's missing-<field> warnings moved: update _wanted_fields"
    patterns.discard(wanted)
    names |= {f"missing-{field}": "templates (want)" for field in _wanted_fields()}
    # ``no-{key}`` → ``no\-.+$``: a documented name must match it
    compiled = [re.compile(re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(p)) + "$") for p in sorted(patterns)]
    return names, compiled


# -- the catalogue -----------------------------------------------------------------------------

_HEADING = re.compile(r"^#{2,3} ")
_TABLE_NAME = re.compile(r"^\| `([^`]+)` \|")
_EXAMPLE = re.compile(r"^\S+?(?::\d+){2,3}: (?:错误|警告|提示) (\S+) ")


def catalogue_sections() -> list[tuple[set[str], list[str]]]:
    """The catalogue as (rule names of the entry, example finding rules) per ## or ### section."""
    sections: list[tuple[set[str], list[str]]] = []
    names: set[str] = set()
    examples: list[str] = []
    in_code = False
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            match = _EXAMPLE.match(line)
            if match:
                examples.append(match.group(1))
        elif _HEADING.match(line):
            sections.append((names, examples))
            names = set(re.findall(r"`([^`]+)`", line)) if line.startswith("### ") else set()
            examples = []
        elif (match := _TABLE_NAME.match(line)):
            names.add(match.group(1))
    sections.append((names, examples))
    return sections[1:]  # the introduction before the first heading explains a line; it is no entry


def catalogue_names() -> set[str]:
    return set().union(*(names for names, _ in catalogue_sections()))


# -- tests -----------------------------------------------------------------------------------

def test_the_collection_finds_rules_of_every_origin() -> None:
    """The collector sees rules from each place they come from (so that it can fail)."""
    names, patterns = emitted_names()
    assert {names["template-residue"], names["class-total"], names["change-amount"]} == \
        {"rules/lint", "rules/checks/checks.yaml", "rules/review/checks.yaml"}
    assert names["fullwidth-colon"] == "src/narrator/loading/yamlload.py"       # Finding(…, "error", "…")
    assert names["unknown-format"] == "src/narrator/text/formats.py"         # FormatError.at(…, "…", …)
    assert names["file-exists"] == "src/narrator/cli.py"                # printed by the CLI
    assert names["bad-code"] == "src/narrator/workbook/tables.py"       # through a helper
    assert names["missing-reason"] and names["missing-basis"] == "templates (want)"
    assert "missing-general_budget" in names                            # a macro's reason_field
    assert "xinjiang-2025" not in names and "utf-8" not in names
    assert [p.pattern for p in patterns] == ["no\\-.+$"]


def test_every_rule_narrator_can_print_is_in_the_catalogue() -> None:
    names, patterns = emitted_names()
    documented = catalogue_names()
    missing = sorted(f"{name}（{where}）" for name, where in names.items() if name not in documented)
    assert not missing, "规则没有写进 docs/guide/messages.md：" + "、".join(missing)
    for pattern in patterns:
        assert any(pattern.match(name) for name in documented), f"{pattern.pattern} 没有任何条目"


def test_every_catalogue_entry_is_a_rule() -> None:
    names, patterns = emitted_names()
    stale = sorted(n for n in catalogue_names() if n not in names and not any(p.match(n) for p in patterns))
    assert not stale, "docs/guide/messages.md 中的这些规则已不存在：" + "、".join(stale)


def test_each_example_line_is_a_finding_of_its_entry() -> None:
    checked = 0
    for names, examples in catalogue_sections():
        for rule in examples:
            assert rule in names, f"例子中的规则 {rule} 不属于条目 {sorted(names)}"
            checked += 1
    assert checked >= 140


# -- commands written in the guide -------------------------------------------------------------

def _guide_commands() -> list[tuple[str, list[str]]]:
    """(page, argv) of every ``narrator …`` line in the guide's code blocks."""
    found = []
    for page in sorted(GUIDE.glob("*.md")):
        in_code = False
        for line in page.read_text(encoding="utf-8").splitlines():
            line = line.strip()  # code blocks inside list items are indented
            if line.startswith("```"):
                in_code = not in_code
            elif in_code and line.startswith("narrator "):
                found.append((page.name, shlex.split(line.split(" #")[0])[1:]))
    return found


def _options(command) -> set[str]:
    return {o for p in command.params for o in (*p.opts, *p.secondary_opts) if o.startswith("-")} | {"--help"}


@pytest.mark.parametrize(("page", "argv"), _guide_commands(), ids=lambda v: v if isinstance(v, str) else " ".join(v))
def test_guide_commands_use_real_commands_and_options(page: str, argv: list[str]) -> None:
    group = typer.main.get_command(app)
    if argv[0].startswith("-"):  # narrator --help
        assert argv == ["--help"]
        return
    command = group.commands.get(argv[0])
    assert command is not None, f"{page}：没有命令 {argv[0]}"
    rest = argv[1:]
    if hasattr(command, "commands"):  # a group: narrator classification check|import
        command, rest = command.commands.get(rest[0]), rest[1:]
        assert command is not None, f"{page}：没有命令 {' '.join(argv[:2])}"
    unknown = [a for a in rest if a.startswith("-") and a.split("=")[0] not in _options(command)]
    assert not unknown, f"{page}：narrator {' '.join(argv)} 用了不存在的选项 {unknown}"


def test_the_guide_shows_commands() -> None:
    pages = {page for page, _ in _guide_commands()}
    assert {"install.md", "clerk.md", "reviewer.md", "names.md"} <= pages


# -- links --------------------------------------------------------------------------------------

_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", [*sorted(GUIDE.glob("*.md")), ROOT / "README.md"], ids=lambda p: p.name)
def test_relative_links_and_images_exist(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    targets = [t for t in _LINK.findall(text) if "://" not in t and not t.startswith("mailto:")]
    assert targets
    broken = [t for t in targets if not (page.parent / t).exists()]
    assert not broken, f"{page.name}：链接指向不存在的文件 {broken}"


def test_readme_links_to_the_guide_and_the_guide_to_its_images() -> None:
    assert "docs/guide/README.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    images = set(re.findall(r"!\[[^\]]*\]\((images/[^)]+)\)", "".join(
        p.read_text(encoding="utf-8") for p in GUIDE.glob("*.md"))))
    assert images == {"images/first-page.png", "images/table-page.png", "images/updated.png",
                      "images/web-draft.png", "images/web-review.png"}
    for image in images:
        assert (GUIDE / image).stat().st_size < 250_000
