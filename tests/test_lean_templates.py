"""Lean templates: the wording filters print what the shared macros printed, phrases are evaluated
without a template render, and built-in formats run outside the sandbox while a user's do not."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment

from narrator.text.environment import FigureMissing, builtin_environment, environment, template_error
from narrator.errors import TemplateError
from narrator.intake.figures import for_format, load_figures
from narrator.text.formats import load_format
from narrator.text.phrasing import PARSE_AFTER, Phrase
from narrator.text.render import _Wants, context_for, evaluate, render_file
from narrator.resources import templates_dirs
from narrator.text.trace import CLOSE, MID, OPEN, RECORDER, Recorder

from .conftest import EXAMPLE
from .test_templates import extra_formats, make_format  # noqa: F401 - the fixture is used by name

_BODY = """{% for i in general_items %}{{ i.name }}{{ WAN(i.amount) }}{{ REASON(i) }}
{% endfor %}{% for s in income %}{{ s.key }}{{ SHARE(s.share) }}{{ REASON(s) }}
{% endfor %}{% for c in general_classes %}{{ c.name }}{{ WAN(c.general) }}{{ SHARE(c.general_share) }}{{ PURPOSE(purposes.get(c.code)) }}
{% endfor %}{{ SHARE(none) }}{{ PURPOSE('') }}{{ REASON({'trend': 'up'}) }}{{ REASON({'trend': 'same'}) }}{{ PURPOSE('办公') }}
{% for n in range(5) %}[{{ NAMES(spending_classes[:n]|map(attribute='name')) }}|{{ NAMES(spending_classes[:n]|map(attribute='name'), '和') }}]{% endfor %}
"""
MACROS = '{% import "_shared/phrases.md.j2" as p with context %}' + _BODY.replace("WAN(", "p.wan(") \
    .replace("SHARE(", "p.share(").replace("REASON(", "p.reason(").replace("PURPOSE(", "p.purpose(") \
    .replace("NAMES(", "p.names(")
FILTERS = re.sub(r"\{\{ ([A-Z]+)\((.*?)(?:, ('和'))?\) \}\}",
                 lambda m: f"{{{{ {m[2]}|{m[1].lower()}{f'({m[3]})' if m[3] else ''} }}}}", _BODY)


def _render(env: jinja2.Environment, source: str, trace: bool) -> tuple[str, list[str], list[dict]]:
    """The text, the warnings and (when tracing) the sources of ``source`` on the Atushi example."""
    fmt = load_format("xinjiang-2025")
    loaded = for_format(load_figures(EXAMPLE), fmt.name)
    engine = evaluate(loaded, fmt, trace)
    wants = _Wants(loaded)
    context = context_for(engine, loaded, fmt, wants, trace)
    recorder = Recorder()
    token = RECORDER.set(recorder if trace else None)
    try:
        text = env.from_string(source).render(context)
    finally:
        RECORDER.reset(token)
    return text, [str(w) for w in wants.warnings], [s.to_dict() for s in recorder.sources]


@pytest.mark.parametrize("trace", [False, True])
@pytest.mark.parametrize("env", [environment, builtin_environment])
def test_the_wording_filters_print_what_the_shared_macros_printed(env, trace) -> None:
    assert "p." not in FILTERS and FILTERS.count("|") > MACROS.count("|")
    by_macros = _render(env(), MACROS, trace)
    by_filters = _render(env(), FILTERS, trace)
    assert by_filters == by_macros
    text, warnings, sources = by_filters
    shown = re.sub(f"{OPEN}\\d+{MID}|{CLOSE}", "", text)  # without the markers explain reads
    assert "万元，占" in shown and "，主要用于办公" in shown and "[|]" in shown and "和" in shown
    assert warnings and all("missing-reason" in w for w in warnings)
    assert (len(sources) > 50) is trace


def _phrase_cases():
    for name in ("xinjiang-2025", "final-accounts", "hebei-2021", "shanghai-budget", "shanghai-final-accounts"):
        for (group, case), phrase in load_format(name).compiled_phrases.items():
            yield pytest.param(phrase, id=f"{name}:{group}.{case}")


@pytest.mark.parametrize("phrase", list(_phrase_cases()))
def test_a_phrase_gives_its_template_text_or_its_template_error(phrase: Phrase) -> None:
    shared = {"basis": "上年预算", "year": 2025}
    phrase.direct()  # parsed now, not after its first uses
    good = SimpleNamespace(change=Decimal("-12.345"), growth=Decimal("-3.005"), trend="down", plan=Decimal(10),
                           plan_change=Decimal(1), completion=Decimal("101.5"), plan_trend="over", amount=Decimal(11),
                           name="甲")
    assert phrase.render(shared, good) == phrase.template.render(shared, c=good)
    empty = SimpleNamespace(change=None, growth=None, trend="up", plan=None, completion=None, amount=None)
    try:
        expected = phrase.template.render(shared, c=empty)
    except Exception as exc:  # noqa: BLE001 - whatever the template raises, the phrase raises the same
        with pytest.raises(type(exc)) as caught:
            phrase.render(shared, empty)
        assert str(template_error(caught.value)) == str(template_error(exc))
    else:
        assert phrase.render(shared, empty) == expected


def test_most_built_in_phrases_take_the_direct_path() -> None:
    phrases = load_format("xinjiang-2025").compiled_phrases.values()
    assert all(p.direct() for p in phrases)
    # anything but names, attributes and value filters is left to the template
    env = environment()
    for source in ("{{ c.change|money(2) }}", "{% if c %}x{% endif %}", "{{ c['change'] }}", "{{ 1 + 1 }}",
                   "{{ c.change|reason }}"):
        assert not Phrase(env.from_string(source), source, env).direct(), source


def test_a_missing_value_in_a_phrase_is_the_templates_error() -> None:
    source = "增长{{ c.growth|percent }}"
    env = environment()
    phrase = Phrase(env.from_string(source), source, env)
    assert phrase.direct()
    with pytest.raises(FigureMissing) as caught:
        phrase.render({}, SimpleNamespace(growth=None))
    assert str(caught.value) == "百分比无法计算（上年为零，或合计为零）"
    assert template_error(caught.value).findings[0].location.path == "<template>"
    with pytest.raises(FigureMissing, match="百分比为空，无法写成文字"):
        phrase.render({}, SimpleNamespace())  # no growth at all
    name = Phrase(env.from_string("比{{ basis }}"), "比{{ basis }}", env)
    assert [name.render({"basis": "上年"}, None) for _ in range(PARSE_AFTER)] == ["比上年"] * PARSE_AFTER
    assert name._parts is not None  # parsed at its PARSE_AFTER-th use, and used from then on
    assert name.render({"basis": "上年"}, None) == "比上年"
    with pytest.raises(jinja2.UndefinedError, match="basis"):
        name.render({}, None)


def test_built_in_formats_run_outside_the_sandbox_and_users_formats_inside(extra_formats) -> None:  # noqa: F811
    builtin = load_format("xinjiang-2025").environment
    assert builtin is builtin_environment() and not isinstance(builtin, SandboxedEnvironment)
    assert builtin.loader.searchpath == [str(templates_dirs()[-1])]  # never a user's folder
    overview = load_format("xinjiang-2025").folder / "sections" / "01-overview.md.j2"
    make_format(extra_formats, "copy", overview.read_text(encoding="utf-8"))
    mine = load_format("copy")
    assert mine.environment is environment() and isinstance(mine.environment, SandboxedEnvironment)
    # the same templates, the same text, whichever environment runs them
    assert render_file(EXAMPLE, "copy").text == render_file(EXAMPLE, "xinjiang-2025").text
    for n, hostile in enumerate(("{{ ''.__class__.__mro__ }}",
                                 "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                                 "{{ 'x' * 20000000000 }}")):
        make_format(extra_formats, f"hostile{n}", "## 一\n\n" + hostile + "\n")
        with pytest.raises(TemplateError) as caught:
            render_file(EXAMPLE, f"hostile{n}")
        assert caught.value.findings[0].rule == "template-unsafe", hostile


def test_built_in_sections_share_one_import_of_their_macros() -> None:
    """A ``{% import … with context %}`` copies the whole context: done once by the document, not per section."""
    for fmt_name in ("final-accounts", "hebei-2021", "shanghai-budget", "shanghai-final-accounts", "xinjiang-2025"):
        folder = load_format(fmt_name).folder
        sections = [(folder / s).read_text(encoding="utf-8") for s in load_format(fmt_name).sections]
        assert not any("{% import" in text for text in sections), fmt_name
        imports = re.findall(r"{% import \"([^\"]+)\"", (folder / "document.md.j2").read_text(encoding="utf-8"))
        assert imports == ([] if fmt_name == "xinjiang-2025" else [f"{fmt_name}/macros.md.j2"])


def test_both_environments_read_a_record_alike() -> None:
    fmt = load_format("xinjiang-2025")
    engine = evaluate(for_format(load_figures(EXAMPLE), fmt.name), fmt)
    record = engine.roots["income"][0]
    for env in (environment(), builtin_environment()):
        assert env.getattr(record, "amount") == record.amount and env.getattr(record, "path") == record.path
        with pytest.raises(jinja2.UndefinedError) as caught:
            str(env.getattr(record, "no_such"))
        assert caught.value.message == f"缺少数据 “{record.path}.no_such”"
        with pytest.raises(TemplateError) as missing:
            try:
                env.from_string("{{ c.no_such }}").render(c=record)
            except jinja2.UndefinedError as exc:
                raise template_error(exc) from None
        assert missing.value.findings[0].message == f"缺少数据 “{record.path}.no_such”（模板用到了它）"
