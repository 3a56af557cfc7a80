"""Safe YAML loading that keeps line numbers and never produces floats.

Mappings load as :class:`LocatedDict` and sequences as :class:`LocatedList`; both remember
where each key or item was written, so that any problem found later (by the schema, by a rule,
by a template) can name the file, line and column of the figure it is about.
Numbers with a fraction load as :class:`decimal.Decimal` from their written digits: ``214.20``
stays exactly 214.20, never the binary float 214.19999….
"""

from __future__ import annotations

import os
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..errors import FiguresError, Finding, Location, NarratorError
from ..lastresort import os_reason


class LocatedDict(dict):
    """A dict that knows where it and each of its keys were written."""

    __slots__ = ("mark", "key_marks")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mark: tuple[int, int] = (0, 0)
        self.key_marks: dict[Any, tuple[int, int]] = {}


class LocatedList(list):
    """A list that knows where it and each of its items were written."""

    __slots__ = ("mark", "item_marks")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.mark: tuple[int, int] = (0, 0)
        self.item_marks: list[tuple[int, int]] = []


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class LineLoader(yaml.SafeLoader):
    """SafeLoader that records positions and reads fractional numbers as Decimal."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LocatedDict:  # type: ignore[override]
        own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
        self.flatten_mapping(node)
        # flatten_mapping puts the pairs of “<<: *anchor” first: a key written here after them
        # overrides a merged one (as YAML defines); only a key written twice here is a mistake.
        merged = len(node.value) - own
        result = LocatedDict()
        result.mark = _mark(node)
        written: set = set()
        for index, (key_node, value_node) in enumerate(node.value):
            key = self._construct(key_node)
            if isinstance(key, (list, dict)):
                raise yaml.constructor.ConstructorError(
                    None, None, "键不能是列表或映射", key_node.start_mark
                )
            if index >= merged:
                if key in written:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"键 “{key}” 重复出现", key_node.start_mark
                    )
                written.add(key)
            result[key] = self._construct(value_node)
            result.key_marks[key] = _mark(key_node)
        return result

    def _construct(self, node: yaml.Node) -> Any:
        # Text, whole and fractional numbers (nearly every node of a figures file) are built by
        # their constructor directly: construct_object's bookkeeping (aliases, recursion) only
        # matters for mappings and sequences, and a scalar's value is the same either way.
        if node.__class__ is yaml.ScalarNode:
            constructor = _SCALARS.get(node.tag)
            if constructor is not None:
                return constructor(self, node)
        return self.construct_object(node, deep=True)

    def construct_located_sequence(self, node: yaml.SequenceNode) -> LocatedList:
        result = LocatedList()
        result.mark = _mark(node)
        for child in node.value:
            result.append(self._construct(child))
            result.item_marks.append(_mark(child))
        return result

    def construct_decimal(self, node: yaml.ScalarNode) -> Decimal:
        text = _decimal_digits(self, node)
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - _decimal_digits admits only valid digits
            raise yaml.constructor.ConstructorError(
                None, None, f"无法把 “{text}” 读作数值", node.start_mark
            ) from None

    def construct_whole(self, node: yaml.ScalarNode) -> int:
        # YAML 1.1 reads 010 as 8, 0x10 as 16 and 3:34 as 214: a figure must mean what it shows.
        return int(_decimal_digits(self, node, whole=True))

    def construct_text(self, node: yaml.ScalarNode) -> str:
        text = yaml.constructor.SafeConstructor.construct_yaml_str(self, node)
        bad = _UNPRINTABLE.search(text)
        if bad:
            # Only an escape in a quoted scalar ("\x07", "\ud800") can produce one: the reader
            # refuses them written raw. They break .docx, terminals and every text that quotes them.
            char = bad.group()
            shown = f"\\u{ord(char):04x}" if ord(char) > 0xFF else f"\\x{ord(char):02x}"
            raise _Refused("control-character",
                           f"文字中不能有控制字符或不成对的代理字符 {shown}（第 {bad.start() + 1} 个字符）",
                           node.start_mark)
        return text


class _Refused(yaml.constructor.ConstructorError):
    """A value the loader refuses for what it means, not for its syntax: reported under its own rule."""

    def __init__(self, rule: str, message: str, mark: yaml.Mark) -> None:
        super().__init__(None, None, message, mark)
        self.rule = rule


# Plain decimal notation: an optional sign, digits (no leading zero before more digits), and an
# optional fraction. YAML 1.1 also resolves octal, hex, binary, base 60, “1_000”, .inf and .nan.
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|[-+]?\.[0-9]+")
_WHOLE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
#: Bounds on a written number: 16 whole digits hold 10^12 万元 written in 元; 8 decimals more than any
#: unit needs. They keep a 4,000-digit figure from reaching int() or Decimal arithmetic at all.
MAX_WHOLE_DIGITS = 16
MAX_DECIMALS = 8
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _decimal_digits(loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode, whole: bool = False) -> str:
    """The scalar's text when it is a decimal number within bounds; otherwise a located refusal."""
    text = str(loader.construct_scalar(node)).strip()
    if not (_WHOLE if whole else _DECIMAL).fullmatch(text):
        raise _Refused("number-form", f"金额只能写十进制数字：“{text}” 不是十进制写法{_meaning(text)}"
                       "（请写 214 或 214.20；要写文字请加引号）", node.start_mark)
    digits, _, fraction = text.lstrip("+-").partition(".")
    if len(digits) > MAX_WHOLE_DIGITS or len(fraction) > MAX_DECIMALS:
        shown = text if len(text) <= 40 else f"{text[:20]}…（共 {len(text)} 个字符）"
        raise _Refused("number-range", f"数字 “{shown}” 超出范围：整数部分最多 {MAX_WHOLE_DIGITS} 位，"
                       f"小数最多 {MAX_DECIMALS} 位", node.start_mark)
    return text


def _meaning(text: str) -> str:
    """What YAML 1.1 would have read, said to the writer (“会被读作八进制 8”)."""
    try:
        value = yaml.constructor.SafeConstructor.construct_yaml_int(
            yaml.SafeLoader(""), yaml.ScalarNode("tag:yaml.org,2002:int", text))
    except (ValueError, TypeError, IndexError):
        return ""
    return f"，YAML 会把它读作 {value}" if len(text) < 30 else ""


_SCALARS = {
    "tag:yaml.org,2002:str": LineLoader.construct_text,
    "tag:yaml.org,2002:int": LineLoader.construct_whole,
    "tag:yaml.org,2002:float": LineLoader.construct_decimal,
}
LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_located_sequence)
LineLoader.add_constructor("tag:yaml.org,2002:float", LineLoader.construct_decimal)
LineLoader.add_constructor("tag:yaml.org,2002:int", LineLoader.construct_whole)
LineLoader.add_constructor("tag:yaml.org,2002:str", LineLoader.construct_text)


if getattr(yaml, "__with_libyaml__", False):

    class FastLineLoader(yaml.cyaml.CParser, LineLoader):
        """LineLoader on libyaml's C parser: the same tree and marks, ten times faster."""

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml
    FastLineLoader = None  # type: ignore[assignment,misc]


def load_yaml_text(text: str, path: str, checked: bool = False) -> Any:
    """Parse YAML text; a syntax error becomes a :class:`FiguresError` with its line.

    Plain block YAML is read by :mod:`narrator.loading.yamlfast` (the same tree, three times faster);
    anything else, and any mistake, by PyYAML (libyaml's parser, or the pure-Python one for errors).

    ``checked``: the text holds none of the characters :mod:`narrator.loading.yamlfast` refuses (see
    :func:`_decoded`).

    A key written with the full-width colon of a Chinese input method (``amount：214.20``) is
    reported at its own line, naming “：”, whether or not the rest of the file still parses:
    YAML would read such a line as text, or fail lines later with a message about something else.
    """
    from .yamlfast import Unsupported, fast_tree

    try:  # plain block YAML (every figures file narrator writes): without PyYAML's node tree
        tree = fast_tree(text, checked)
    except Unsupported:
        pass  # anything else, and every mistake, as the full loader reads and words it
    else:
        _refuse_fullwidth_colons(text, path, _ASCII_KEY)
        return tree
    if FastLineLoader is not None:
        try:
            tree = yaml.load(text, Loader=FastLineLoader)  # noqa: S506 - a SafeLoader on libyaml
        except (yaml.YAMLError, UnicodeEncodeError):  # libyaml cannot even take a lone surrogate
            pass  # parse again below, so that errors read exactly as the pure-Python parser words them
        else:
            _refuse_fullwidth_colons(text, path, _ASCII_KEY)
            return tree
    try:
        tree = yaml.load(text, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader
    except yaml.reader.ReaderError as exc:
        # A raw control character (BEL, ESC…) in the file: say where, as for any other mistake.
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise FiguresError.at(Location(path, line, col), "control-character",
                              f"文件中有不允许的控制字符 \\x{code:02x}（请删去）" if code <= 0xFF else
                              f"文件中有不允许的字符 \\u{code:04x}（请删去）") from None
    except _Refused as exc:
        mark = exc.problem_mark
        raise FiguresError.at(Location(path, mark.line + 1, mark.column + 1), exc.rule, exc.problem) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        _refuse_fullwidth_colons(text, path, _ANY_KEY, before=line)
        problem = exc.problem or exc.context or "格式错误"
        raise FiguresError.at(
            Location(path, line, col), "yaml-syntax", f"YAML 格式错误：{_problem_zh(problem)}"
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise FiguresError.at(Location(path), "yaml-syntax", f"YAML 格式错误：{exc}") from None
    _refuse_fullwidth_colons(text, path, _ASCII_KEY)
    return tree


# A line that starts (after its indentation and list dashes) with a key and a full-width colon.
# Keys of narrator's files are ASCII names or codes, so such a line is a mistake even when the
# file parses; any other word before “：” (“其中：”) is only suspected when the file does not parse.
_ASCII_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)*([A-Za-z_][A-Za-z0-9_]*|\d+)[ \t]*：")
_ANY_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)*([^\s#'\"\-:：{}\[\],&*!|>%@`][^\s:：]*)[ \t]*：")
_BLOCK_SCALAR = re.compile(r"^([ \t]*)(?:-[ \t]+)*(?:[^#\s][^#]*?:[ \t]+)?[|>][-+0-9]*[ \t]*(?:#.*)?$")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _refuse_fullwidth_colons(text: str, path: str, key: re.Pattern, before: int | None = None) -> None:
    """Raise a finding for every key line written with “：” (``before``: only when one is at or above that line)."""
    if "：" not in text:
        return
    findings = []
    block = None  # indentation of the line that opened the block scalar (“reason: |”) we are in
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        if block is None and "：" not in line and "|" not in line and ">" not in line:
            continue  # neither a key with “：” nor the start of a block scalar (most lines)
        indent = len(line) - len(line.lstrip(" \t"))
        if block is not None and (not line.strip() or indent > block):
            continue  # the text of a block scalar, where “：” is only punctuation
        block = None
        opened = _BLOCK_SCALAR.match(line)
        if opened:
            block = len(opened.group(1))
            continue
        found = key.match(line)
        if found:
            colon = line.index("：", found.start(1))
            name, rest = found.group(1), line[colon + 1:].strip()
            fixed = f"{name}: {rest}”（半角冒号后空一格）" if rest else f"{name}:”"
            findings.append(Finding(Location(path, number, colon + 1), "error", "fullwidth-colon",
                                    f"“{name}” 后面是全角冒号 “：”，YAML 只认半角冒号 “:”：请改为 “{fixed}"))
    if findings and (before is None or findings[0].location.line <= before):
        raise FiguresError(findings)


#: The largest text file read (figures, rules, a text to lint): real ones are a few dozen KB.
MAX_TEXT_BYTES = 20 * 1024 * 1024


def read_text(path: Path | str, display: str | None = None) -> str:
    """Read a text file (figures, rules, a text to lint) in UTF-8, UTF-8 with BOM, UTF-16 or GBK/GB18030.

    The encoding is found by :func:`narrator.loading.decoding.decode`, the one decode cascade of
    narrator; unreadable files become :class:`FiguresError` naming the place of the first bad byte.
    Only a regular file of at most :data:`MAX_TEXT_BYTES` is read: never a pipe or a device.
    """
    shown = display or str(path)
    return _decoded(read_bytes(path, shown), shown)


def read_bytes(path: Path | str, shown: str) -> bytes:
    """The bytes of a text file as :func:`read_text` reads them (errors the same), before decoding."""
    from .regular import read_regular

    try:
        return read_regular(path, MAX_TEXT_BYTES)
    except FileNotFoundError:
        raise FiguresError.at(Location(shown), "file-unreadable", "找不到文件") from None
    except IsADirectoryError:
        raise FiguresError.at(Location(shown), "file-unreadable", "这是一个文件夹，不是文件") from None
    except OSError as exc:
        raise FiguresError.at(Location(shown), "file-unreadable", f"无法读取文件：{os_reason(exc)}") from None


def _decoded(data: bytes, shown: str) -> str:
    from .decoding import decode

    try:
        return decode(data, shown)
    except NarratorError as error:
        raise FiguresError(error.findings) from None


# The bytes of no character YAML or narrator refuses in a text: the C0 controls but the line feed
# (a tab, a carriage return or NUL sends the text the long way), DEL, and the lead byte of U+0080–U+00FF
# (the C1 controls are among them). Other refused characters are looked for in the decoded text.
_CONTROL_BYTES = bytes(range(0x20)).replace(b"\n", b"") + b"\x7f"
_NOT_PLAIN_STARTS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"%PDF-", b"\xd0\xcf\x11\xe0")


def _plain_utf8(data: bytes) -> str | None:
    """The text of ``data`` when it is UTF-8 without a byte order mark and holds no character the
    YAML readers refuse (what :func:`_decoded` gives then, found for a fifth of its cost); else None."""
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) or b"\xc2" in data or data.startswith(_NOT_PLAIN_STARTS):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\u2028" in text or "\u2029" in text or "\ufeff" in text or "\ufffe" in text or "\uffff" in text:
        return None
    return text


def load_yaml(path: Path | str, display: str | None = None) -> Any:
    """Read and parse a YAML file; unreadable files become :class:`FiguresError`.

    narrator's own data files (under ``rules/`` and the template folders) are parsed once and
    kept, by the hash of their bytes, in narrator.caches.yamlcache: parsing them was a fifth of a cold
    command. A figures file or any other file of the user is parsed every time.
    """
    shown = display or str(path)
    data = read_bytes(path, shown)
    if _is_data_file(path):
        from ..caches.yamlcache import cached_tree

        return cached_tree(data, lambda: load_yaml_text(_decoded(data, shown), shown))
    text = _plain_utf8(data)
    if text is not None:  # (nearly every figures file)
        return load_yaml_text(text, shown, True)  # (positionally: wrappers pass the rest on)
    return load_yaml_text(_decoded(data, shown), shown)


def _is_data_file(path: Path | str) -> bool:
    """Whether ``path`` lies in narrator's rules folder or a template folder (the format files)."""
    return (os.path.dirname(os.path.abspath(path)) + os.sep).startswith(_data_folders())


def _data_folders() -> tuple[str, ...]:
    """The rules folder and the template folders, each with a separator after it (asked for every
    file read: joined and converted once for the folders in use, not for each file)."""
    from ..resources import rules_dir, templates_dirs

    global _FOLDERS
    templates = templates_dirs()  # (kept by resources until NARRATOR_TEMPLATES is read again)
    if _FOLDERS[0] is not templates:
        _FOLDERS = (templates, tuple(str(root) + os.sep for root in (rules_dir(), *templates)))
    return _FOLDERS[1]


_FOLDERS: tuple = (None, ())


_PROBLEMS_ZH = {
    "mapping values are not allowed here": "此处不能出现 “键: 值”（可能缩进不对或缺少引号）",
    "could not find expected ':'": "缺少冒号 “:”",
    "found character '\\t' that cannot start any token": "不能用制表符缩进，请改用空格",
    "expected <block end>, but found '<block sequence start>'": "列表项缩进不一致",
    "found undefined alias": "引用了未定义的锚点",
    "expected ',' or ']'": "方括号 [ ] 列表没有闭合",
    "expected ',' or '}'": "花括号 { } 映射没有闭合",
    "found unexpected end of stream": "引号没有闭合",
    "did not find expected key": "缩进不一致或缺少 “键:”",
    "did not find expected '-' indicator": "列表项缩进不一致",
    "found character that cannot start any token": "出现了不能作为开头的字符（可能需要加引号）",
    "found unknown escape character": "双引号中有无法识别的转义（反斜杠 \\ 后的字符）；要写反斜杠请写两个，或改用单引号",
    "expected alphabetic or numeric character": "锚点或引用（& 或 * 之后）的名字无效；要写文字请加引号",
    "expected a comment or a line break": "值的后面多了内容（要写文字请加引号）",
    "found unexpected ':'": "出现了多余的冒号 “:”（值中有冒号时请加引号）",
    "expected '<document start>'": "文件中有多余的内容（可能缩进不对）",
    "found duplicate anchor": "锚点重复定义",
    "expected the node content": "此处缺少内容",
}

_TAG = re.compile(r"could not determine a constructor for the tag '(tag:yaml\.org,2002:)?([^']*)'")


def _problem_zh(problem: str) -> str:
    tag = _TAG.match(problem)
    if tag:  # !!python/object…, !!binary, !foo: nothing but the plain YAML types is ever built
        return f"不能使用标签 “{'!!' if tag.group(1) else ''}{tag.group(2)}”（数据文件只写文字、数字、列表和映射）；要写文字请加引号"
    for english, chinese in _PROBLEMS_ZH.items():
        if problem.startswith(english):
            return chinese
    if any("\u4e00" <= ch <= "\u9fff" for ch in problem):
        return problem  # our own constructor messages are already in Chinese
    return f"{problem}（请检查这一行及上一行的缩进、冒号和引号）"


def locate(root: Any, path: Iterable[Any], file: str) -> Location:
    """The location of the deepest part of ``path`` (keys and list indexes) found under ``root``."""
    node = root
    line, col = getattr(root, "mark", (0, 0))
    for part in path:
        if isinstance(node, LocatedDict) and part in node:
            line, col = node.key_marks.get(part, (line, col))
            node = node[part]
        elif isinstance(node, LocatedList) and isinstance(part, int) and 0 <= part < len(node):
            line, col = node.item_marks[part]
            node = node[part]
        else:
            break
    return Location(file, line, col)
