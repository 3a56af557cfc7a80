"""What makes a cold ``narrator lint`` cheaper must not change what it finds.

- a pattern is compiled only for a text holding the literal texts every match of it holds
  (``narrator.lint.literals``): checked against every match of every shipped pattern on every
  case text and rendered example;
- titles are compared by an edit distance bounded at 3: equal to the full one below that;
- the classification tables answer names and children from an index: equal to a scan;
- the lint rule files are checked once per change (one cache entry), a broken one still stops lint;
- the traced render (for the sources in messages) is made only when a message needs one.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from narrator.classification import load_classification
from narrator.errors import RuleError
from narrator.intake.figures import load_figures
from narrator.lint import lint_text, load_lint_rules
from narrator.lint.kinds.neartitle import distance
from narrator.lint.literals import may_match, required_literals, requirements
from narrator.lint.rules import LintRule
from narrator.text.render import render_figures

from .conftest import ROOT

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize(("pattern", "literals"), [
    ("(?m)^abc", ("abc",)),
    ("(?s)a.b", ("a", "b")),
    ("(?i)abc", ()),                        # case folded: “ABC” matches without “abc”
    ("(?x) a b", ()),                       # verbose: the spaces are not text
    ("(?P<at>x)幅度", ("幅度",)),            # a group is not looked into
    ("a{2,3}b", ("b",)),                    # a repeated character is not a required text
    ("ab?c", ("a", "c")),
    ("ab*c+d", ("a", "d")),
    ("a{b", ("b",)),
    ("减少(?=[ \u3000]*\\d)", ("减少",)),
    ("(?<![增减])[（(][增减][)）]幅", ("幅",)),
    ("\\u4e00ab", ("ab",)),                 # an escape with digits after it is one character
    ("\\x41b", ("b",)),
    ("\\12ab", ("ab",)),                    # a back reference
    ("\\N{EM DASH}x", ("x",)),
    ("x\\.y\\(", ("x.y(",)),
    ("ab|cd", ()),                          # alternatives at the top: none is in every match
    ("(ab|cd)ef?g", ("e", "g")),
    ("[]a]bc", ("bc",)),
    ("[^]a]bc", ("bc",)),
    ("[a\\]b]cd", ("cd",)),
    ("(ab", ()),                            # not a pattern at all: nothing known
    ("", ()),
])
def test_required_literals(pattern: str, literals: tuple[str, ...]) -> None:
    assert required_literals(pattern) == literals


@pytest.mark.parametrize(("pattern", "needed"), [
    ("(?P<at>[，,])x", ((("，", ","), "choice"), (("x",), "run"))),
    ("a(?:增加|减少)+", ((("a",), "run"), (("增加", "减少"), "choice"))),
    ("a(?:增加|减少)?", ((("a",), "run"),)),            # optional: nothing
    ("a(?:增加|减少){0,2}", ((("a",), "run"),)),
    ("(?<=[一-鿿])\\d(?=均|都|分别)", ((("均", "都", "分别"), "around"),)),
    ("(?<![增减])(?!增)x", ((("x",), "run"),)),        # negative lookarounds say nothing
    ("(?:a|)b", ((("b",), "run"),)),                   # an empty alternative: optional
    ("(?:a\\.|b)c", ((("c",), "run"),)),              # escapes in a group: not looked into
    ("(?:a(?:b|c))d", ((("d",), "run"),)),
    ("[^，,]x[a-c]y", ((("x",), "run"), (("y",), "run"))),
    ("[]a]", (((("]", "a")), "choice"),)),
    ("(?P=a)b", ((("b",), "run"),)),
])
def test_requirements(pattern: str, needed: tuple) -> None:
    assert requirements(pattern) == needed


def _texts() -> list[str]:
    """Every case text of the lint and review rules, and the text rendered for every example."""
    texts = []
    for folder in ("lint_cases", "review_cases"):
        for path in sorted((TESTS / folder).glob("*.yaml")):
            for case in yaml.safe_load(path.read_text(encoding="utf-8")).get("cases") or []:
                if isinstance(case.get("text"), str):
                    texts.append(case["text"])
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        texts.append(render_figures(load_figures(path)).text)
    return texts


def _shipped_patterns() -> list[str]:
    patterns = []
    for rule in load_lint_rules():
        patterns += rule.patterns
        patterns += [str(p) for p in rule.params.get("allow_patterns") or []]
        patterns += [str(swap["pattern"]) for swap in rule.params.get("swap") or []]
    return patterns


def test_every_match_of_every_shipped_pattern_holds_its_required_literals() -> None:
    texts = _texts()
    matched = skipped = 0
    for pattern in _shipped_patterns():
        needed = requirements(pattern)
        compiled = re.compile(pattern)
        for text in texts:
            for match in compiled.finditer(text):
                matched += 1
                for words, kind in needed:   # a lookaround's words lie beside the match, on its line
                    where = match.group() if kind != "around" else text[max(0, match.start() - 60):match.end() + 220]
                    assert any(word in where for word in words), (pattern, match.group(), words)
            skipped += not may_match(pattern, text)
    assert matched > 500 and skipped > 10_000   # the check saw matches, and the filter skips a lot


def test_every_match_of_a_pattern_of_a_rule_with_needs_holds_a_match_of_needs() -> None:
    # existence's ``needs``: the patterns are not searched in a text without a match of it
    texts = _texts()
    gated = [rule for rule in load_lint_rules() if rule.params.get("needs")]
    assert gated
    matched = spared = 0
    for rule in gated:
        needs = re.compile(str(rule.params["needs"]))
        for pattern in rule.compiled:
            for text in texts:
                for match in pattern.finditer(text):
                    matched += 1
                    assert needs.search(match.group()), (rule.name, match.group())
                spared += needs.search(text) is None
    assert matched and spared > 100


def test_a_pattern_is_compiled_only_for_a_text_that_may_hold_a_match() -> None:
    rule = LintRule("r", "existence", "warning", "m", None, patterns=("增长[（(]或?下降[)）]", "[（(]"))
    assert [p.pattern for p in rule.patterns_for("一般公共预算（本级）")] == ["[（(]"]
    assert list(rule._compiled) == ["[（(]"]
    assert [p.pattern for p in rule.patterns_for("增长（下降）")] == list(rule.patterns)


def _full_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        previous = current
    return previous[-1]


def test_the_bounded_edit_distance_is_the_edit_distance_below_three() -> None:
    chosen = random.Random(14)
    for _ in range(20_000):
        a = "".join(chosen.choice("收支预算表决") for _ in range(chosen.randint(0, 9)))
        b = "".join(chosen.choice("收支预算表决") for _ in range(chosen.randint(0, 9)))
        assert distance(a, b) == min(_full_distance(a, b), 3), (a, b)


@pytest.mark.parametrize("kind", ["functional", "economic"])
def test_names_and_children_from_the_index_are_those_of_a_scan(kind: str) -> None:
    table = load_classification(kind)
    names = {name for code in table.entries for name in table.all_names(code)}
    for name in names:
        for level in (None, 3, 5, 7):
            scanned = sorted(c for c, e in table.entries.items()
                             if (name == e.name or any(name == n for _, n in e.formerly))
                             and (level is None or len(c) == level))
            assert table.code_for_name(name, level) == scanned
    for parent in {code[:-2] for code in table.entries} | {"2", "9"}:
        level = len(parent) + 2
        assert table.children(parent, level) == [c for c in table.entries
                                                 if len(c) == level and c.startswith(parent)]


def test_a_broken_pattern_in_a_rule_file_stops_lint_after_a_good_run(tmp_path: Path, monkeypatch) -> None:
    """The checked rule files are kept by their bytes: a changed file is checked again."""
    from narrator.lint import rules as lint_rules

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NARRATOR_NO_CACHE", raising=False)
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    monkeypatch.setattr(lint_rules, "rules_dir", lambda: folder)
    from narrator.caches import yamlcache

    yamlcache._folder.cache_clear()
    lint_rules.load_lint_rules.cache_clear()
    try:
        good = lint_rules.load_lint_rules()
        lint_rules.load_lint_rules.cache_clear()
        assert [r.name for r in lint_rules.load_lint_rules()] == [r.name for r in good]  # from the cache
        from narrator.lint import literals

        assert len(literals._KNOWN) > 250   # the patterns' requirements came back with the files, right
        assert all(literals._KNOWN[p] == requirements.__wrapped__(p) for p in _shipped_patterns())
        path = folder / "lint" / "doubled-word.yaml"
        finding = _only_problem(path, "patterns:\n", "patterns:\n  - \"(未闭合\"\n")
        assert finding.location.path == "rules/lint/doubled-word.yaml" and finding.location.line == 1
        assert finding.message.startswith("规则 doubled-word：正则表达式有误：missing ), unterminated subpattern")
        # a substitution's pattern is checked as well (it used to fail only when a text was linted)
        path.write_text(path.read_text(encoding="utf-8").replace("  - \"(未闭合\"\n", "", 1), encoding="utf-8")
        finding = _only_problem(folder / "lint" / "common-typo.yaml", "swap:\n",
                                "swap:\n  - {pattern: \"(?<=a|bc)x\", replacement: y}\n")
        assert finding.location.path == "rules/lint/common-typo.yaml"
        assert finding.message == "规则 common-typo：正则表达式有误：look-behind requires fixed-width pattern"
    finally:
        yamlcache._folder.cache_clear()
        lint_rules.load_lint_rules.cache_clear()


def _only_problem(path: Path, old: str, new: str) -> object:
    """The one problem the rules report once ``old`` is replaced by ``new`` in the rule file ``path``."""
    from narrator.lint import rules as lint_rules

    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    lint_rules.load_lint_rules.cache_clear()
    with pytest.raises(RuleError) as error:
        lint_rules.load_lint_rules()
    [finding] = error.value.findings
    return finding


def test_the_traced_render_is_made_only_for_a_message_that_names_a_source(monkeypatch) -> None:
    from narrator.text import explain

    loaded = load_figures(ROOT / "examples" / "atushi-2025.yaml")
    text = render_figures(loaded).text
    made = []
    traced = explain.render_traced
    monkeypatch.setattr(explain, "render_traced", lambda *args: made.append(args) or traced(*args))
    clean = lint_text(text, "a.md", loaded)
    assert made == [] and clean.tied > 100 and not [f for f in clean.findings if f.rule.startswith("figure-")]
    first = re.search(r"\d+\.\d\d万元", text)
    wrong = text[:first.start()] + "9" + text[first.start():]
    report = lint_text(wrong, "a.md", loaded)
    [finding] = [f for f in report.findings if f.rule == "figure-amount"]
    assert len(made) == 1 and finding.location.line == text[:first.start()].count("\n") + 1
    assert finding.message == (f"金额写作 9{first.group()}，应为 {first.group()[:-2]} 万元"
                               "（部门收入预算合计：规则 income_total）")


def test_lint_reads_the_figures_once_and_reports_as_before(tmp_path: Path, runner, monkeypatch) -> None:
    """One read of the figures file (none once their text is kept: test_lint_refcache); a broken
    one is still reported after a missing text, as before."""
    from narrator.loading import yamlload

    from .conftest import run

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))   # nothing kept from other runs
    text = tmp_path / "a.md"
    text.write_text(render_figures(load_figures(ROOT / "examples" / "atushi-2025.yaml")).text, encoding="utf-8")
    example = str(ROOT / "examples" / "atushi-2025.yaml")
    read = []
    parse = yamlload.load_yaml_text
    monkeypatch.setattr(yamlload, "load_yaml_text", lambda text, shown, *rest: read.append(shown) or parse(text, shown, *rest))
    done = run(runner, "lint", str(text), "--figures", example)
    assert done.exit_code == 0 and read.count(example) == 1
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [\n", encoding="utf-8")
    missing = run(runner, "lint", str(tmp_path / "none.md"), "--figures", str(broken))
    assert missing.exit_code == 2 and missing.stderr.startswith(f"{tmp_path / 'none.md'}:0:0: 错误 file-unreadable")
    bad = run(runner, "lint", str(text), "--figures", str(broken))
    assert bad.exit_code == 2 and bad.stderr.startswith(f"{broken}:2:1: 错误 yaml-syntax")


@pytest.mark.parametrize("kind", ["functional", "economic", "government-economic"])
def test_a_table_read_back_from_the_cache_is_the_table_parsed(kind: str) -> None:
    """table_from_plain fills the entries' __dict__ (faster than their __init__): the same objects."""
    import dataclasses

    from narrator.classification.table import Entry, parse_table, table_from_plain, table_to_plain
    from narrator.errors import Location
    from narrator.loading.yamlload import load_yaml

    path = ROOT / "rules" / "classification" / f"{kind}.yaml"
    parsed = parse_table(load_yaml(path), path)
    back = table_from_plain(table_to_plain(parsed), str(path))
    assert back == parsed and list(back.entries) == list(parsed.entries)
    for code, entry in parsed.entries.items():
        again = back.entries[code]
        assert type(again) is Entry and again == entry and hash(again) == hash(entry) and repr(again) == repr(entry)
        assert type(again.location) is Location and again.location == entry.location
        assert hash(again.location) == hash(entry.location) and str(again.location) == str(entry.location)
        assert vars(again) == {f.name: getattr(entry, f.name) for f in dataclasses.fields(Entry)}
        with pytest.raises(dataclasses.FrozenInstanceError):
            again.name = "x"   # still frozen


def test_equal_vocabularies_and_installations_have_one_cache_key(tmp_path: Path, monkeypatch) -> None:
    """The keys of near-name's and near-word's index and of the installation's digest are the same
    bytes for equal data, whichever string objects hold it (marshal's later versions write a string
    met twice as a reference, and a process in three or four built the index again)."""
    from narrator.lint import refcache
    from narrator.lint.kinds import vocabulary

    keys: list[bytes] = []
    monkeypatch.setattr(vocabulary, "cached_value", lambda data, *rest: keys.append(data))
    shared = ["部门预算" + str(n) for n in range(3)]
    copies = ["".join(list(name)) for name in shared]       # equal texts, other objects
    assert all(a == b and a is not b for a, b in zip(shared, copies))
    for allow in (shared, copies):                           # the same objects as the names, then copies
        vocabulary.vocabulary_of.cache_clear()
        vocabulary.vocabulary_of(frozenset(shared), frozenset(allow), (), 5, "", (), 8, "", "")
    assert len(keys) == 2 and keys[0] == keys[1]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NARRATOR_NO_CACHE", raising=False)
    described: list[bytes] = []
    sha256 = refcache.hashlib.sha256
    monkeypatch.setattr(refcache.hashlib, "sha256", lambda data=b"": (data and described.append(data)) or sha256(data))
    folder = refcache.private_folder("reference")
    for packages in ([*shared, *shared], [*shared, *copies]):   # a name met twice as one object, then as two
        monkeypatch.setattr(refcache, "_installed", lambda packages=packages: packages)
        refcache._installation(folder)
    assert len(described) == 2 and described[0] == described[1]
