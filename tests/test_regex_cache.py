"""The per-user cache of compiled regular expressions (narrator.caches.regexcache)."""

from __future__ import annotations

import marshal
import os
import re
from pathlib import Path

import pytest

from narrator.caches import regexcache
from narrator.lint import load_lint_rules

PATTERN = r"(?P<at>[一-鿿]{2})(?:增加|减少)\d+"


def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: nothing compiled, nothing read yet."""
    regexcache._file.cache_clear()
    regexcache.regex.cache_clear()
    monkeypatch.setattr(regexcache, "_kept", None)
    monkeypatch.setattr(regexcache, "_added", {})


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NARRATOR_NO_CACHE", raising=False)
    _fresh(monkeypatch)
    yield tmp_path / "cache" / "narrator" / f"regex-{os.sys.implementation.cache_tag}" / "patterns.marshal"
    _fresh(monkeypatch)


def test_a_pattern_is_kept_and_read_back(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = regexcache.regex(PATTERN)
    assert first == re.compile(PATTERN)          # equal patterns: same text, flags and engine code
    assert not cache_home.exists()                # written once, at the end of the command
    regexcache.keep()
    assert oct(os.stat(cache_home.parent).st_mode & 0o777) == "0o700"
    engine, entries = marshal.loads(cache_home.read_bytes())
    assert list(entries) == [(PATTERN, 0)]
    # what is read back is the kept code, not the pattern compiled again: a file put there (by
    # the user, as only the user can) is what runs
    other = r"(?P<at>[一-鿿]{2})(?:增加|减少)"
    entries[(PATTERN, 0)] = regexcache._entry(other, 0)
    cache_home.write_bytes(marshal.dumps((engine, entries)))
    _fresh(monkeypatch)
    kept = regexcache.regex(PATTERN)
    assert kept.pattern == PATTERN and kept.search("经费增加").group("at") == "经费"
    assert regexcache._added == {}                # nothing new: the file is not written again
    regexcache.keep()
    assert marshal.loads(cache_home.read_bytes())[1] == entries


def test_flags_are_part_of_the_key(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain, lines = regexcache.regex("^b"), regexcache.regex("^b", re.MULTILINE)
    regexcache.keep()
    _fresh(monkeypatch)
    assert regexcache.regex("^b", re.MULTILINE) == lines == re.compile("^b", re.M)
    assert regexcache.regex("^b").search("a\nb") is None and plain.search("a\nb") is None
    assert lines.search("a\nb").start() == 2


@pytest.mark.parametrize("content", [b"not marshal data", marshal.dumps(("another engine", {})),
                                     marshal.dumps(("x", "y", "z"))])
def test_a_file_not_of_this_engine_is_compiled_again(cache_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                     content: bytes) -> None:
    regexcache.regex(PATTERN)
    regexcache.keep()
    cache_home.write_bytes(content)
    _fresh(monkeypatch)
    assert regexcache.regex(PATTERN) == re.compile(PATTERN)
    regexcache.keep()
    assert list(marshal.loads(cache_home.read_bytes())[1]) == [(PATTERN, 0)]   # written anew


def test_code_the_engine_refuses_is_compiled_again(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regexcache.regex(PATTERN)
    regexcache.keep()
    engine, entries = marshal.loads(cache_home.read_bytes())
    flags, code, *rest = entries[(PATTERN, 0)]
    entries[(PATTERN, 0)] = (flags, [999, *code[1:]], *rest)      # no such opcode
    cache_home.write_bytes(marshal.dumps((engine, entries)))
    _fresh(monkeypatch)
    assert regexcache.regex(PATTERN) == re.compile(PATTERN)


def test_a_bad_pattern_is_re_s_error(cache_home: Path) -> None:
    with pytest.raises(re.error, match="missing \\)"):
        regexcache.regex("(ab")


def test_a_folder_others_may_write_to_is_not_used(cache_home: Path) -> None:
    cache_home.parent.mkdir(parents=True)
    cache_home.parent.chmod(0o777)
    assert regexcache.regex(PATTERN) == re.compile(PATTERN)
    regexcache.keep()
    assert not cache_home.exists()


def test_the_cache_can_be_turned_off(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATOR_NO_CACHE", "1")
    assert regexcache.regex(PATTERN) == re.compile(PATTERN)
    regexcache.keep()
    assert not cache_home.parent.exists()


def test_the_file_keeps_a_bounded_number(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regexcache, "LIMIT", 3)
    for n in range(3):
        regexcache.regex(f"a{n}")
    regexcache.keep()
    _fresh(monkeypatch)
    regexcache.regex("b")
    regexcache.keep()
    assert list(marshal.loads(cache_home.read_bytes())[1]) == [("b", 0)]


def test_every_lint_pattern_read_back_is_the_one_compiled(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patterns = {(p, 0) for rule in load_lint_rules() for p in rule.patterns}
    patterns |= {("[“一三上与专业个中临义]", 0), (r"(?m)^[ \t　]*(?P<at>[、.．])", re.MULTILINE), (r"(?i)ab[c-f]", 0)}
    for pattern, flags in patterns:
        regexcache.regex(pattern, flags)
    regexcache.keep()
    _fresh(monkeypatch)
    for pattern, flags in sorted(patterns):
        kept = regexcache.regex(pattern, flags)
        assert kept == re.compile(pattern, flags), pattern       # same engine code
        assert kept.groupindex == re.compile(pattern, flags).groupindex
    assert regexcache._added == {}
