"""The fast render of built-in formats (narrator.text.lean): the same text and warnings as the usual
render for every example, case and generated department; the usual render whenever anything is odd
(its error then, word for word); never when explaining or for a user's format; phrases compiled
from their shape only."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

import figuresgen
from narrator.errors import NarratorError
from narrator.intake.figures import for_format, load_figures
from narrator.text import lean, leanphrase, leanvalues, render
from narrator.text.environment import builtin_environment, environment
from narrator.text.formats import load_format
from narrator.text.phrasing import _simple_chains

from .conftest import CASES, EXAMPLE, FIXTURES, ROOT
from .test_templates import extra_formats, make_format  # noqa: F401 - the fixture is used by name

FIGURES = sorted([*ROOT.glob("examples/*.yaml"), *CASES.glob("*/figures.yaml"), *FIXTURES.glob("*.yaml")])


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list:
    """What each call of the fast render gave (None: it failed and the usual render ran)."""
    given: list = []
    real = render.render_lean

    def spy(name: str, context: dict) -> str | None:
        given.append(real(name, context))
        return given[-1]
    monkeypatch.setattr(render, "render_lean", spy)
    return given


def _both(loaded, fmt, monkeypatch: pytest.MonkeyPatch, taken: list):
    """(text, warnings) of the fast render and of the usual one, for the same evaluated figures."""
    engine = render.evaluate(loaded, fmt)
    fast = render.render_engine(engine, loaded, fmt)
    assert taken and taken[-1] is not None, "the fast render was not taken"
    with monkeypatch.context() as patch:
        patch.setattr(render, "render_lean", lambda name, context: None)
        usual = render.render_engine(engine, loaded, fmt)
    return [(text, [str(w) for w in wanted]) for text, wanted in (fast, usual)]


@pytest.mark.parametrize("path", FIGURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_and_case_renders_the_same_text_and_warnings(path: Path, monkeypatch, taken) -> None:
    named = path.parent / "format"  # a case names its format beside its figures
    fmt = load_format(named.read_text(encoding="utf-8").strip() if named.is_file() else
                      load_figures(path).format_name or "xinjiang-2025")
    loaded = for_format(load_figures(path, format_name=fmt.name), fmt.name)
    try:
        render.evaluate(loaded, fmt)
    except NarratorError:  # (a fixture of figures that do not add up: nothing to render)
        assert path.name == "atushi-2024.yaml"
        return
    fast, usual = _both(loaded, fmt, monkeypatch, taken)
    assert fast == usual


@pytest.mark.parametrize("consistent", [True, False])
def test_generated_departments_render_the_same(tmp_path: Path, monkeypatch, taken, consistent: bool) -> None:
    fmt = load_format("xinjiang-2025")
    for path in figuresgen.write_region(tmp_path, 24, 7, consistent=consistent):
        fast, usual = _both(for_format(load_figures(path), fmt.name), fmt, monkeypatch, taken)
        assert fast == usual, path.name
    assert len(taken) == 24


def test_an_odd_value_falls_back_to_the_usual_render_and_its_error(monkeypatch, taken) -> None:
    fmt = load_format("xinjiang-2025")
    loaded = for_format(load_figures(EXAMPLE), fmt.name)
    engine = render.evaluate(loaded, fmt)
    engine.roots["department"] = None  # printed by every section: None must never be written
    with pytest.raises(NarratorError) as fast:
        render.render_engine(engine, loaded, fmt)
    assert taken == [None]
    with monkeypatch.context() as patch:
        patch.setattr(render, "render_lean", lambda name, context: None)
        with pytest.raises(NarratorError) as usual:
            render.render_engine(engine, loaded, fmt)
    assert str(fast.value) == str(usual.value) and "templates/xinjiang-2025/sections/01-overview" in str(fast.value)


def test_a_missing_name_makes_the_fast_render_give_up() -> None:
    context = {"year": 2025, "sections": ["xinjiang-2025/sections/01-overview.md.j2"]}
    assert lean.render_lean("xinjiang-2025/document.md.j2", context) is None


def test_explaining_and_users_formats_never_take_the_fast_render(monkeypatch, taken, extra_formats) -> None:
    fmt = load_format("xinjiang-2025")
    loaded = for_format(load_figures(EXAMPLE), fmt.name)
    render.render_engine(render.evaluate(loaded, fmt, True), loaded, fmt, trace=True)
    assert taken == []
    make_format(extra_formats, "custom", "## 一、总体\n\n收入{{ income_total|wan }}。\n")
    user = load_format("custom")  # a copy in NARRATOR_TEMPLATES: sandboxed
    assert user.environment is environment()
    assert "收入" in render.render_figures(for_format(load_figures(EXAMPLE), "custom"), "custom").text
    assert taken == []


def test_every_built_in_template_compiles_to_lean_code() -> None:
    env = lean.lean_environment()
    names = [n for n in builtin_environment().list_templates() if n.endswith(".j2")]
    assert len(names) > 30
    for name in names:
        source = env.compile(env.loader.get_source(env, name)[0], name, raw=True)
        assert "environment.finalize(" not in source and "environment.getattr(" not in source, name
        compile(source, name, "exec")


def test_the_lean_environment_reads_only_the_built_in_templates() -> None:
    env = lean.lean_environment()
    assert env.loader.searchpath == [str(ROOT / "templates")]
    assert not isinstance(env, jinja2.sandbox.SandboxedEnvironment)


def test_record_attributes_read_inline_are_read_as_the_trusted_environment_reads_them() -> None:
    fmt = load_format("xinjiang-2025")
    loaded = for_format(load_figures(EXAMPLE), fmt.name)
    engine = render.evaluate(loaded, fmt)
    trusted = builtin_environment()
    template = lean.lean_environment().from_string("{% for r in records %}{{ r[name] if 0 }}{{ r.amount }}|"
                                                   "{{ r.name }}|{{ r.path }}|{{ r.nothing is undefined }}\n{% endfor %}")
    names = render.context_for(engine, loaded, fmt, render._Wants(loaded))
    records = [*names["income"], *names["general_items"], *names["three_public"]]
    text = template.render(records=records)
    expected = "".join(f"{trusted.getattr(r, 'amount')}|{trusted.getattr(r, 'name')}|{r.path}|True\n" for r in records)
    assert text == expected
    for record in records:
        for name in ("amount", "share", "trend", "name", "key", "reason", "path", "get", "_fields", "nothing"):
            got, want = leanvalues.lean_get(record, name), trusted.getattr(record, name)
            if isinstance(want, jinja2.Undefined):
                assert type(got) is type(want) and got._undefined_message == want._undefined_message
            else:
                assert got == want, (record, name)


# -- phrases compiled from their shape only -------------------------------------------------------

HOSTILE = [
    "比{{ basis }}增加{{ c.change|money }}万元'''\"); import os; os.system('x') #",
    "{{ c.__class__ }}{{ c.__init__ }}{{ __import__ }}\\n{{ c.change|magnitude|percent }}",
    "{{ c['change'] }}",  # not simple: evaluated by its template
    "{{ c.change * 10 ** 999999 }}",
    "{% for x in c %}{{ x }}{% endfor %}",
    "{{ lipsum|money }}{{ c.change|money_trim|count }}",
    "}}{{ c.growth|percent }}{{ '\\x00' }}",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_a_phrase_s_code_holds_nothing_of_its_text(source: str) -> None:
    chains = _simple_chains(environment(), source)
    if chains is None:
        return  # not simple: never compiled
    code, bound = leanphrase.phrase_source(chains)
    assert re.fullmatch(r"def phrase\(names, c\):\n    return ''\.join\(\(.*\)\)\n", code), code
    # its names: the function's own, the bound values and a record's inline read; no literal but ''
    assert set(re.findall(r"[A-Za-z_]\w*", code)) <= {"def", "phrase", "names", "c", "return", "join", "get", "show",
                                                       "Record", "PLAIN", "ABSENT", "o", "v", "p", "str", "_values", "_rules",
                                                       "_fields", "__class__", "if", "else", "and", "or", "is",
                                                       "not", "in", *bound}
    assert re.findall(r"['\"][^'\"]*['\"]", code) == ["''"]
    compile(code, "<phrase>", "exec")


def test_a_compiled_phrase_gives_its_template_s_text() -> None:
    shared = {"basis": "上年预算", "year": 2025}
    record = SimpleNamespace(change=Decimal("-12.345"), growth=Decimal("-3.005"), trend="down", amount=Decimal(11),
                             plan=Decimal(10), plan_change=Decimal(1), completion=Decimal("101.5"), plan_trend="over")
    compiled = 0
    for name in ("xinjiang-2025", "final-accounts", "hebei-2021", "shanghai-budget", "shanghai-final-accounts"):
        for (group, case), phrase in load_format(name).compiled_phrases.items():
            phrase.direct()
            if phrase.chains is None:
                continue
            function = leanphrase.compile_phrase(phrase.chains)
            try:
                expected = phrase.template.render(shared, c=record)
            except Exception:  # noqa: BLE001 - a phrase this record cannot fill: the function fails too
                with pytest.raises(Exception):
                    function(shared, record)
                continue
            assert function(shared, record) == expected, f"{name}:{group}.{case}"
            compiled += 1
    assert compiled > 20


MAPS = """{{ spending_classes|map(attribute='name')|names }}|{{ income|map(attribute='share')|list }}
{{ income|map(attribute='path')|list }}|{{ dicts|map(attribute='items')|list }}|{{ dicts|map(attribute='name')|list }}
{{ income|map(attribute='key')|names('和') }}|{{ income|map(attribute='nothing', default='无')|list }}
{{ [1, 2]|map('string')|list }}|{{ income|map(attribute='nothing')|list|length }}|{{ []|map(attribute='x')|names }}"""


def test_map_and_names_give_jinja_s_values() -> None:
    fmt = load_format("xinjiang-2025")
    loaded = for_format(load_figures(EXAMPLE), fmt.name)
    names = render.context_for(render.evaluate(loaded, fmt), loaded, fmt, render._Wants(loaded))
    names["dicts"] = [{"items": "键", "name": "甲"}, {"items": "二", "name": "乙"}]
    text = lean.lean_environment().from_string(MAPS).render(names)
    assert text == builtin_environment().from_string(MAPS).render(names)
    assert "、" in text and "['键', '二']" in text and "income.general" in text
    with pytest.raises(jinja2.UndefinedError):  # a missing attribute printed: an error, as in Jinja
        lean.lean_environment().from_string("{{ income|map(attribute='nothing')|names }}").render(names)


def test_the_fast_render_is_used_only_with_the_jinja_it_was_written_for(monkeypatch) -> None:
    import jinja2

    from narrator.text import lean

    assert lean.lean_supported(), f"Jinja {jinja2.__version__}: check LeanCode against it, then add it to SUPPORTED_JINJA"
    monkeypatch.setattr(jinja2, "__version__", "3.2.0")
    assert not lean.lean_supported()
    assert lean.render_lean("xinjiang-2025/document.md.j2", {}) is None


SELECTS = """{{ fiscal_kinds|selectattr('amount')|list|length }}|{{ fiscal_kinds|rejectattr('amount')|map(attribute='key')|list }}
{{ income|selectattr('amount')|map(attribute='key')|names('和') }}|{{ income|rejectattr('share')|list|length }}
{{ dicts|selectattr('name')|list }}|{{ dicts|rejectattr('items')|list }}|{{ income|selectattr('path')|list|length }}
{{ income|selectattr('amount', 'gt', 100)|list|length }}|{{ []|selectattr('x')|list }}|{{ none_list|rejectattr('x')|list }}
{{ spending_classes|map(attribute='name')|names }}|{{ spending_classes|map(attribute='name')|names('和') }}
{{ [1, '甲']|names }}|{{ ['甲']|names('和') }}|{{ []|names }}|{{ ['甲', '乙', '丙']|names('及') }}"""


def test_selectattr_rejectattr_and_names_give_jinja_s_values() -> None:
    fmt = load_format("xinjiang-2025")
    loaded = for_format(load_figures(EXAMPLE), fmt.name)
    names = render.context_for(render.evaluate(loaded, fmt), loaded, fmt, render._Wants(loaded))
    names["dicts"] = [{"items": "", "name": "甲"}, {"items": "二", "name": ""}]
    names["none_list"] = None
    text = lean.lean_environment().from_string(SELECTS).render(names)
    assert text == builtin_environment().from_string(SELECTS).render(names)
    assert "甲、乙及丙" in text and "1、甲" in text
    for broken in ("{{ income|selectattr('nothing')|list }}", "{{ income|rejectattr('nothing')|list }}"):
        with pytest.raises(jinja2.UndefinedError):  # a missing attribute tested: an error, as in Jinja
            lean.lean_environment().from_string(broken).render(names)


LOOPS = """{% for x in items %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }}/\\
{{ loop.revindex }}/{{ loop.revindex0 }}:{{ x }}{{ '、' if not loop.last }}{% else %}无{% endfor %}
{% for x in items %}{% for y in items %}{{ loop.index }}{{ y }}{% endfor %}{{ loop.revindex == 2 }}{% endfor %}
{% for x in items if x %}{{ loop.index }}{{ loop.last }}{% endfor %}|{% for x in items %}{{ loop.cycle('a', 'b') }}{% endfor %}
{% for x in items %}{{ loop.changed(x) }}{{ loop.depth }}{% endfor %}|{% for x in items %}{{ loop.length }}{{ loop }}{% endfor %}"""


@pytest.mark.parametrize("items", [[], ["甲"], ["甲", "乙"], ("甲", "乙", "丙"), "abc", range(3), {"k": 1, "j": 2}])
def test_loops_over_lists_give_jinja_s_loop_values(items) -> None:
    lean_template = lean.lean_environment().from_string(LOOPS)
    assert lean_template.render(items=items) == builtin_environment().from_string(LOOPS).render(items=items)
    code = lean.lean_environment().compile(LOOPS, raw=True)
    assert code.count("lean_loops_(") == 3 and code.count("LoopContext(") == 4  # loop.cycle, previtem, bare loop, if


def test_a_generated_loop_of_many_items_gives_jinja_s_loop_values() -> None:
    items = [str(n) for n in range(300)]  # (longer than the loop states kept)
    assert lean.lean_environment().from_string(LOOPS).render(items=items) == \
        builtin_environment().from_string(LOOPS).render(items=items)


NAMES = """{% for x in items %}{{ a }}{{ b }}{% set b = x %}{{ b }}{% endfor %}{{ b }}
{% for a in items %}{{ a }}{{ d }}{% endfor %}{% set c = 'set' %}{% for x in items %}{{ c }}{{ d }}{% endfor %}{{ c }}
{% for x in items %}{% for y in items %}{{ e }}{{ x }}{{ y }}{% endfor %}{% endfor %}"""


def test_names_read_in_loops_are_the_context_s_as_jinja_reads_them() -> None:
    names = {"items": ["甲", "乙"], "a": "A", "b": "B", "c": "C", "d": "D", "e": "E"}
    text = lean.lean_environment().from_string(NAMES).render(names)
    assert text == builtin_environment().from_string(NAMES).render(names)
    code = lean.lean_environment().compile(NAMES, raw=True)
    assert "lean_r_d = " in code and "lean_r_e = " in code and "lean_r_b" not in code and "lean_r_c" not in code
    odd = "{% for x in items %}{{ 名称 }}{{ _a }}{{ loop.index }}{% endfor %}{{ 名称 }}"  # names Jinja takes: Python's too
    assert lean.lean_environment().from_string(odd).render(items=[1, 2], 名称="甲", _a="乙") == "甲乙1甲乙2甲"
    early = "{% for x in items %}{{ c }}{% endfor %}{% set c = 'set' %}"  # read before the template sets it
    for env in (lean.lean_environment(), builtin_environment()):
        with pytest.raises(jinja2.UndefinedError):
            env.from_string(early).render(names)


def test_amounts_are_written_as_format_amount_writes_them() -> None:
    from random import Random

    from narrator.numbers import format_amount

    rng = Random(14)
    texts = ["0", "0.00", "-0.00", "-0.001", "0.005", "-0.005", "999.99", "999.995", "1000", "1000.00", "-1000.00",
             "-999.99", "12345678.90", "1E+3", "1.5E+2", "1E-8", "-1E-3", "100", "0.5", "2.50", "-2.50", "1234.5"]
    texts += [f"{rng.choice('-+')}{rng.randrange(10 ** rng.randrange(1, 10))}.{rng.randrange(10 ** 6):06d}"[:rng.randrange(3, 16)]
              for _ in range(3000)]
    for text in texts:
        value = Decimal(text.rstrip("."))
        assert leanvalues.amount_of(value, str(value)) == format_amount(value), text
        assert leanvalues._wan(value) == format_amount(value) + "万元"


def test_tidy_gives_what_its_patterns_give() -> None:
    from random import Random

    rng = Random(7)

    def reference(text: str) -> str:
        text = re.sub(r"[ \t]+\n", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"

    for _ in range(3000):
        text = "".join(rng.choice(["\n", "\n", " ", "\t", "文", "a", "\n\n\n\n\n"]) for _ in range(rng.randrange(40)))
        assert render.tidy(text) == reference(text), repr(text)
