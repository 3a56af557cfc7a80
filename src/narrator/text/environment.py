"""The one Jinja environment every template runs in, and the filters it offers.

Built in one place: sandboxed, ``StrictUndefined`` (with messages in Chinese that name the
missing figure), no autoescaping (the output is text), and a ``finalize`` hook that refuses to
print ``None``: a missing figure is an error naming the figure and the template line, never an
empty string or “None” in the text. Filters are registered in :data:`FILTERS`.

The templates shipped with narrator (the built-in formats) are trusted: they run in
:func:`builtin_environment`, the same environment without the sandbox's checks on every
attribute, call and operator, nor the work budget. A user's templates (``NARRATOR_TEMPLATES``,
``narrator format new`` copies) always run in the sandbox, :func:`environment`.
"""

from __future__ import annotations

import re
import sys
import hashlib
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..errors import Location, TemplateError
from ..caches.cachedir import caching_off
from ..numbers import chinese_numeral, format_amount, format_count
from .phrasing import FILTERS as PHRASE_FILTERS
from ..resources import templates_dirs
from .templatework import FILTERS as WORK_FILTERS
from .templatework import BudgetedTemplate, count_loops, counted_range
from .trace import RECORDER, Recorder, Source, source_of, traced


class FigureMissing(ValueError):
    """A template printed a value that is not there (None or undefined)."""


def _decimal(value: Any, what: str) -> Decimal:
    if value is None or isinstance(value, jinja2.Undefined):
        raise FigureMissing(f"{what}为空，无法写成文字")
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise FigureMissing(f"{what}应为数值，实际是 {value!r}")
    return Decimal(value)


def _keep_source(result: Any, value: Any) -> Any:
    """When explaining, a formatted value keeps the source of the value it was made from."""
    source = getattr(value, "source", None)
    return result if source is None else traced(result, source)


def money(value: Any) -> str:
    """An amount, rounded half up to two decimals: 1,095.72."""
    if value.__class__ is Decimal:  # a plain amount, the commonest by far: nothing to check or keep
        return format_amount(value)
    return _keep_source(format_amount(_decimal(value, "金额")), value)


def money_trim(value: Any) -> str:
    """An amount rounded half up to two decimals, without trailing zeros: 60, 2.5, 431.21.

    Some formats (e.g. Hebei 2021) print amounts this way; the rounding is the same as money's.
    """
    text = format_amount(_decimal(value, "金额"))
    return _keep_source(text.rstrip("0").rstrip(".") if "." in text else text, value)


def percent(value: Any) -> str:
    """A percentage rounded half up to two decimals, with the sign: 15.95%."""
    if value.__class__ is Decimal:  # (as in money)
        return format_amount(value) + "%"
    if value is None:
        raise FigureMissing("百分比无法计算（上年为零，或合计为零）")
    return _keep_source(format_amount(_decimal(value, "百分比")) + "%", value)


def count(value: Any) -> str:
    """A whole number (人、辆、台、个)."""
    return _keep_source(format_count(_decimal(value, "数量")), value)


def magnitude(value: Any) -> Decimal:
    """The absolute value: direction is said in words (增加/减少), not by a minus sign."""
    if value.__class__ is Decimal:  # (as in money)
        return abs(value)
    return _keep_source(abs(_decimal(value, "数值")), value)


def chinese_number(value: Any) -> str:
    """1 → 一, 12 → 十二: section and sub-section numbers."""
    return chinese_numeral(int(value))


FILTERS = {
    "money": money,
    "money_trim": money_trim,
    "percent": percent,
    "count": count,
    "magnitude": magnitude,
    "cn": chinese_number,
    **PHRASE_FILTERS,
}
"""Every filter templates may use, besides Jinja's own safe built-ins (join, map, …)."""


class MissingValue(jinja2.StrictUndefined):
    """StrictUndefined whose message names the missing figure in Chinese."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:  # type: ignore[override]
        name = self._undefined_name
        owner = self._undefined_obj
        if owner is jinja2.utils.missing:
            return f"缺少数据 “{name}”"
        where = getattr(owner, "path", None) or type(owner).__name__
        return f"缺少数据 “{where}.{name}”" if isinstance(name, str) else f"缺少数据 “{where}[{name!r}]”"


def _finalize(value: Any) -> Any:
    if value is None:
        raise FigureMissing("要写入文字的值为空（None）")
    recorder = RECORDER.get()
    if recorder is not None and not isinstance(value, jinja2.Undefined):
        return _mark(recorder, value)  # explaining: mark where this value is printed
    return value


_WORTH_TRACING = re.compile(r"[0-9增减降升持]")


def _mark(recorder: Recorder, value: Any) -> Any:
    """The printed value wrapped in markers naming its source (only when explaining)."""
    source = source_of(value)
    if source is None:
        text = str(value)
        if not _WORTH_TRACING.search(text):
            return value
        # a number or direction word the template itself computed or wrote (loop.index, a count
        # of a list, a word chosen by an if): its source is the template line
        note = "模板中的列表序号（loop.index）" if type(value) is int else "模板中计算或写出的值"
        source = Source("template", "模板", _printing_template(), (("note", note),))
    return recorder.mark(str(value), source)


def _printing_template() -> Location:
    """The template file and line being rendered (only used when explaining)."""
    frame = sys._getframe(3)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.endswith(".j2"):
            name = _template_name(filename, tuple(templates_dirs()))
            if name is not None:
                # the environment that compiled this frame's template (trusted or sandboxed):
                # the line map is the one of its compiled code
                env = frame.f_globals.get("environment") or environment()
                line = _template_line(env.get_template(name), frame.f_lineno)
                return Location(f"templates/{name}", line, 0)
        frame = frame.f_back
    return Location("<模板>")


# A traced render asks for the printing template of a hundred values: resolving its path and
# reading its line map each time was most of a traced render (~30 ms of `lint --figures`).
@lru_cache(maxsize=1024)
def _template_name(filename: str, roots: tuple[Path, ...]) -> str | None:
    """The name of a template file under the first of ``roots`` that holds it (None: none does)."""
    for root in roots:
        try:
            return Path(filename).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return None


@lru_cache(maxsize=4096)
def _template_line(template: jinja2.Template, compiled_line: int) -> int:
    return template.get_corresponding_lineno(compiled_line)
_OPTIONS = dict(autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                auto_reload=False)


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs (Jinja's per-user cache folder, mode 0700).

    Compiling the templates is a third of a cold ``narrator render``; a template whose source
    changed is recompiled (Jinja checks a checksum). Entries are named after narrator's options
    and Jinja's version, so no other program's compiled templates are ever used. A cache that
    cannot be written is skipped, never an error.
    """

    def dump_bytecode(self, bucket: Any) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _template_cache(sandboxed: bool = True) -> jinja2.BytecodeCache | None:
    if caching_off():
        return None
    # the intercepted operators are compiled into the code: a change of them is another cache
    options = (sorted(_OPTIONS.items()), jinja2.__version__, sorted(_Sandbox.intercepted_binops),
               "loops counted") if sandboxed else (sorted(_OPTIONS.items()), jinja2.__version__, "trusted")
    key = hashlib.sha256(repr(options).encode()).hexdigest()[:12]
    try:
        return _TemplateCache(pattern=f"narrator-{key}-%s.cache")
    except (OSError, RuntimeError):  # no safe temporary folder: compile every time
        return None


#: The largest text or list a template may make with ``*``; the largest power it may compute.
MAX_ITEMS = 1_000_000
MAX_POWER_BITS = 10_000


def _too_big_power(base: Any, exponent: Any) -> bool:
    """Whether ``base ** exponent`` would be a huge number (refused before it is computed)."""
    if isinstance(base, bool) or isinstance(exponent, bool):
        return False
    if not isinstance(exponent, (int, Decimal)) or not isinstance(base, (int, Decimal)):
        return False
    if abs(base) <= 1:
        return False
    return abs(exponent) * max(abs(int(base)).bit_length(), 1) > MAX_POWER_BITS


class _Sandbox(SandboxedEnvironment):
    """The sandbox, with a shortcut for the figure records templates read all the time.

    For a :class:`narrator.intake.records.Record` and a name not starting with ``_`` the sandbox's
    own checks always pass (a record is none of the function, method, type, code, frame or
    generator objects whose attributes it guards, and its values are figures, never
    ``str.format``), so the attribute is returned without them: the same result, for about
    a third of the cost of a template's attribute access. The same holds for Jinja's ``loop``
    and imported macro modules (only a ``str.format`` value is wrapped). Everything else
    takes the full path.
    """

    # ``**`` and ``*`` can build a number or a text of gigabytes from a few characters
    # (``7**999999999``, ``'x'*20000000000``): they are checked before they are computed
    intercepted_binops = frozenset({"**", "*"})
    # every loop, range and join of a render is counted against one budget (templatework)
    template_class = BudgetedTemplate

    def _parse(self, source: str, name: str | None, filename: str | None) -> jinja2.nodes.Template:
        return count_loops(super()._parse(source, name, filename))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _too_big_power(left, right):
            raise jinja2.exceptions.SecurityError(f"乘方太大（{left!r} ** {right!r}）")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) \
                        and len(sequence) * count > MAX_ITEMS:
                    raise jinja2.exceptions.SecurityError(f"重复后的结果太大（超过 {MAX_ITEMS} 项）")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        kind = type(obj)
        if kind is (_KNOWN or _known())[0] and not attribute.startswith("_"):
            return _record_attribute(self, obj, attribute)
        if kind in _JINJA_OWN and not attribute.startswith("_"):
            # Jinja's own loop variable and imported macro modules (``loop.index``, ``p.wan``):
            # no item access and none of the guarded types, so only str.format needs wrapping.
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return self.undefined(obj=obj, name=attribute)
            wrapped = self.wrap_str_format(value)
            return value if wrapped is None else wrapped
        return super().getattr(obj, attribute)


_JINJA_OWN = frozenset({jinja2.runtime.LoopContext, jinja2.environment.TemplateModule})


def _record_attribute(env: jinja2.Environment, record: Any, attribute: str) -> Any:
    """``record.attribute`` as ``Environment.getattr`` gives it, without its failed lookups.

    Python finds a figure or rule value only after the normal lookup failed (an exception made
    and dropped inside every access) and Jinja then tries ``record[attribute]`` too; asking the
    record's ``__getattr__`` at once gives the same value, or the same undefined.
    """
    known = _KNOWN or _known()
    try:
        if attribute in known[1]:
            return getattr(record, attribute)
        # a value already there (every rule's, once the engine has run; most figures) is read
        # as Record.__getattr__ reads it, without the two calls: a missing figure is None
        value = record._values.get(attribute, _ABSENT)
        if value is _ABSENT and attribute not in record._rules:
            value = record._fields.get(attribute, _ABSENT)
        if value is not _ABSENT:
            return None if value is None or isinstance(value, known[2]) else value
        return record.__getattr__(attribute)
    except AttributeError:
        return env.undefined(obj=record, name=attribute)


_ABSENT = object()


class _Trusted(jinja2.Environment):
    """The built-in formats' environment: Jinja's own, with the shortcut for reading records."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is (_KNOWN or _known())[0] and not attribute.startswith("_"):
            return _record_attribute(self, obj, attribute)
        return super().getattr(obj, attribute)


#: [Record, the names its class defines (methods, properties: the rest are figures), Missing],
#: filled when first needed (records needs the figures schema: not imported with this module).
#: Read as ``_KNOWN or _known()``: a global, not a call, per attribute a template reads.
_KNOWN: list = []


def _known() -> list:
    if not _KNOWN:
        from ..compute.expr import Missing
        from ..intake.records import Record

        _KNOWN.extend((Record, frozenset(dir(Record)), Missing))
    return _KNOWN


def template_from_string(source: str, key: str) -> jinja2.Template:
    """``environment().from_string(source)``, through the compiled-template cache.

    ``key`` names the cache entry (the entry also holds the source's checksum, so a changed
    text is recompiled). The template is compiled and named exactly as by ``from_string``.
    """
    env = environment()
    cache = env.bytecode_cache
    if cache is None:
        return env.from_string(source)
    bucket = cache.get_bucket(env, key, None, source)
    code = bucket.code
    if code is None:
        code = env.compile(source)
        bucket.code = code
        cache.set_bucket(bucket)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


@cache
def environment() -> SandboxedEnvironment:
    """The shared sandboxed environment over every templates folder."""
    env = _Sandbox(
        loader=jinja2.FileSystemLoader([str(p) for p in templates_dirs()]),
        undefined=MissingValue,
        finalize=_finalize,
        bytecode_cache=_template_cache(),
        **_OPTIONS,
    )
    env.filters.update(FILTERS)
    env.filters.update(WORK_FILTERS)
    env.globals["range"] = counted_range
    return env


@cache
def builtin_environment() -> jinja2.Environment:
    """The environment of the built-in formats' templates: trusted, so not sandboxed.

    Its loader reads only the built-in templates folder (a user's folder cannot replace a
    built-in file: :mod:`narrator.text.formats` refuses such a clash). Undefined values, ``None`` and
    the filters behave as in :func:`environment`; the sandbox's checks and the work budget,
    which guard against a hostile template, are left out (about 5 % of a built-in render,
    measured side by side on generated departments).
    """
    env = _Trusted(
        loader=jinja2.FileSystemLoader(str(templates_dirs()[-1])),
        undefined=MissingValue,
        finalize=_finalize,
        bytecode_cache=_template_cache(sandboxed=False),
        **_OPTIONS,
    )
    env.filters.update(FILTERS)
    return env


def environment_for(builtin: bool) -> jinja2.Environment:
    """:func:`builtin_environment` for a built-in format's templates, else the sandbox."""
    return builtin_environment() if builtin else environment()


def template_location(exc: BaseException) -> Location:
    """The innermost template file and line in an exception's traceback."""
    import traceback  # only for an error: a render need not load it (nor textwrap, which it loads)

    roots = [Path(p).resolve() for p in templates_dirs()]
    builtin = roots[-1]  # shown as templates/…; a user's folder (NARRATOR_TEMPLATES) by its own path
    found = Location("<模板>")
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if frame.filename.startswith("<"):
            if frame.filename.startswith("<template") or "phrase" in frame.filename:
                found = Location(frame.filename, frame.lineno or 0, 0)
            continue
        for root in roots:
            try:
                relative = path.resolve().relative_to(root)
            except ValueError:
                continue
            shown = f"templates/{relative.as_posix()}" if root == builtin else str(root / relative)
            found = Location(shown, frame.lineno or 0, 0)
    return found


def template_error(exc: BaseException) -> TemplateError:
    """Turn an exception raised while rendering into a located, Chinese :class:`TemplateError`."""
    location = template_location(exc)
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError.at(location, "missing-figure", f"{exc.message}（模板用到了它）")
    if isinstance(exc, FigureMissing):
        return TemplateError.at(location, "missing-figure", str(exc))
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = Location(exc.filename or exc.name or "<模板>", exc.lineno, 0)
        return TemplateError.at(where, "template-syntax", f"模板语法错误：{exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError.at(location, "template-missing", f"找不到模板 “{exc.name}”")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return TemplateError.at(location, "template-unsafe", f"模板做了不允许的操作：{exc}")
    return TemplateError.at(location, "template-error", f"模板出错：{exc}")
