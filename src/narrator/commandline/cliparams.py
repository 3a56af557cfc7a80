"""Command-line parameters declared without typer: what ``typer.Option`` and ``typer.Argument`` say, as data.

The commands most often run cold (render, check, lint: :mod:`narrator.commandline.hotcommands`) run a plain
command line without importing typer, whose import was ~40 ms of a ~250 ms cold command. Their
parameters are declared once, here, with the arguments typer's ``Option`` and ``Argument`` take
(:func:`Option`, :func:`Argument`); :mod:`narrator.commandline.quickargs` reads a plain line from these
declarations, and :mod:`narrator.cli` makes typer's own parameters of them for help and for every
other line. A callback refuses a value by raising :class:`Refused`; narrator.cli turns that into
typer's ``BadParameter`` with the same message.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..errors import LEVEL_ORDER


def comma_names(text: str) -> frozenset[str]:
    """The names of a comma-separated option value (``--ignore a,b``), blanks dropped."""
    return frozenset(name.strip() for name in text.split(",") if name.strip())


class Refused(ValueError):
    """A value a parameter's callback does not accept; its text is the message typer shows."""


#: What typer's Option and Argument take when a keyword is not given, for the keywords
#: narrator.commandline.quickargs reads (a test compares them with typer's).
DEFAULTS: dict[str, Any] = {
    "envvar": None, "callback": None, "exists": False, "file_okay": True, "dir_okay": True, "readable": True,
    "writable": False, "resolve_path": False, "allow_dash": False,
}


class Declared:
    """One parameter: ``kind`` ("option" or "argument"), its default, its names (``param_decls``)
    and the other keywords given to typer; a keyword not given reads as typer's default."""

    __slots__ = ("kind", "default", "param_decls", "keywords")

    def __init__(self, kind: str, default: Any, param_decls: tuple[str, ...], keywords: dict[str, Any]) -> None:
        self.kind, self.default, self.param_decls, self.keywords = kind, default, param_decls, keywords

    def __getattr__(self, name: str) -> Any:
        try:
            return self.keywords[name] if name in self.keywords else DEFAULTS[name]
        except KeyError:
            raise AttributeError(name) from None


def Option(default: Any, *param_decls: str, **keywords: Any) -> Declared:  # noqa: N802 - typer's name
    """An option, declared with the arguments of ``typer.Option``."""
    return Declared("option", default, param_decls, keywords)


def Argument(default: Any, **keywords: Any) -> Declared:  # noqa: N802 - typer's name
    """An argument, declared with the arguments of ``typer.Argument``."""
    return Declared("argument", default, (), keywords)


# -- options: one meaning per name in every command, values checked against the allowed ones --

def one_of(what: str, names: Callable[[], list[str]]) -> Callable[[Optional[str]], Optional[str]]:
    """A callback refusing a value not in ``names()``, with the list of allowed values."""
    def callback(value: Optional[str]) -> Optional[str]:
        if value is None:
            return value
        known = names()
        if value not in known:
            raise Refused(f"“{value}” 不是可用的{what}；可选：{'、'.join(known)}")
        return value
    return callback


def format_names() -> list[str]:
    """The document formats ``--doc-format`` accepts."""
    from ..text.formats import format_names as names

    return names()


def profile_names() -> list[str]:
    """The wording profiles ``--profile`` accepts."""
    from ..lint.profiles import profile_names as names

    return names()


def text_kinds() -> list[str]:
    """The kinds of text ``--to`` accepts."""
    return ["md", "txt", "html", "docx"]


DOC_FORMAT_HELP = ("文档格式（见 narrator formats）；不给则用数据文件中写明的格式（format:），"
                   "数据文件没有写明时为 xinjiang-2025")
LEVEL_HELP = "有此级别（error 错误、warning 警告、note 提示）或更严重的发现时退出码为 1"
FORMAT_HELP = "输出形式：text（每行一条 “文件:行:列: 级别 规则 消息”）或 json"
PROFILE_HELP = ("措辞规范（地区认可的写法，见 rules/profiles/）：national（全国通行，默认）、"
                "xinjiang-2025、shanghai")


def doc_format_option(help_text: str = DOC_FORMAT_HELP) -> Declared:
    """``--doc-format`` / ``-f``: the document format (templates/<格式>/), in every command."""
    return Option(None, "--doc-format", "-f", metavar="格式", show_default=False,
                  callback=one_of("文档格式", format_names), help=help_text)


def output_form_option(forms: tuple[str, ...], help_text: str) -> Declared:
    """``--format``: the form findings or results are printed in, in every command that has one."""
    return Option(forms[0], "--format", metavar="形式", callback=one_of("输出形式", lambda: list(forms)),
                  help=help_text)


def fail_on_option(default: str, help_text: str = LEVEL_HELP) -> Declared:
    """``--fail-on``: the level of finding that makes the exit code 1, in every command."""
    return Option(default, "--fail-on", metavar="级别", callback=one_of("级别", lambda: list(LEVEL_ORDER)),
                  help=help_text)


def profile_option() -> Declared:
    """``--profile``: the wording profile lint and review accept."""
    return Option("national", "--profile", metavar="措辞规范", callback=one_of("措辞规范", profile_names),
                  help=PROFILE_HELP)
