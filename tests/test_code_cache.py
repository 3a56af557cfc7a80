"""The per-user cache of compiled rule code (narrator.caches.codecache)."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from narrator.caches import codecache
from narrator.compute.exprcode import Compiler

SOURCE = "def _make():\n    def _expression(engine, local):\n        return 41 + 1\n    return _expression\n"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NARRATOR_NO_CACHE", raising=False)
    codecache._folder.cache_clear()
    yield tmp_path / "cache" / "narrator"
    codecache._folder.cache_clear()


def _run(code) -> object:
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the test's own source
    return namespace["_make"]()(None, {})


def test_compiled_code_is_kept_in_a_private_folder_and_read_back(cache_home: Path) -> None:
    assert _run(codecache.compiled(SOURCE)) == 42
    [folder] = cache_home.glob("rules-*")  # beside it, the data cache's folder (narrator.caches.cachedir)
    [kept] = folder.iterdir()
    assert oct(os.stat(folder).st_mode & 0o777) == "0o700"
    # What is read back is the kept code, not the source compiled again: a file put there
    # (by the user, as only the user can) is what runs.
    kept.write_bytes(marshal.dumps(compile(SOURCE.replace("41 + 1", "41 + 2"), "<test>", "exec")))
    assert _run(codecache.compiled(SOURCE)) == 43
    assert list(folder.iterdir()) == [kept]


def test_a_broken_file_is_compiled_again(cache_home: Path) -> None:
    codecache.compiled(SOURCE)
    [kept] = next(cache_home.glob("rules-*")).iterdir()
    kept.write_bytes(b"not marshal data")
    assert _run(codecache.compiled(SOURCE)) == 42
    assert kept.read_bytes() != b"not marshal data"  # and written anew


def test_a_folder_others_may_write_to_is_not_used(cache_home: Path) -> None:
    folder = cache_home / f"rules-{os.sys.implementation.cache_tag}"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert _run(codecache.compiled(SOURCE)) == 42
    assert list(folder.iterdir()) == []


def test_the_cache_can_be_turned_off(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATOR_NO_CACHE", "1")
    codecache._folder.cache_clear()
    assert _run(codecache.compiled(SOURCE)) == 42
    assert not cache_home.exists()


def test_an_expression_read_back_from_the_cache_computes_the_same(cache_home: Path) -> None:
    def resolve(name: str):
        return (lambda engine, local: sum) if name == "sum" else (lambda engine, local: 2025)
    resolve.functions = {"sum"}  # type: ignore[attr-defined]

    text = "sum([x * 2 for x in [1, 2, 3] if x != year]) + year"
    first = Compiler(text, resolve).compile()
    [folder] = cache_home.glob("rules-*")  # beside it, the data cache's folder (narrator.caches.cachedir)
    written = sorted(folder.iterdir())
    assert len(written) == 1  # one source per expression (its comprehension is a function in it)
    again = Compiler(text, resolve).compile()
    assert sorted(folder.iterdir()) == written
    assert first(None, {}) == again(None, {}) == 2037


def test_a_bundle_keeps_the_codes_of_a_rule_set_in_one_file(cache_home: Path) -> None:
    other = SOURCE.replace("41 + 1", "40 + 3")
    with codecache.bundle("set"):
        assert _run(codecache.compiled(SOURCE)) == 42 and _run(codecache.compiled(other)) == 43
    [folder] = cache_home.glob("rules-*")
    [kept] = folder.glob("bundle-*.codes")
    for single in folder.glob("*.code"):
        single.unlink()   # from now on only the bundle holds them
    written = kept.stat().st_mtime_ns
    with codecache.bundle("set"):
        assert _run(codecache.compiled(SOURCE)) == 42 and _run(codecache.compiled(other)) == 43
    assert list(folder.glob("*.code")) == [] and kept.stat().st_mtime_ns == written  # read, not written


def test_a_changed_source_is_not_taken_from_the_bundle(cache_home: Path) -> None:
    with codecache.bundle("set"):
        codecache.compiled(SOURCE)
    changed = SOURCE.replace("41 + 1", "41 + 5")
    with codecache.bundle("set"):
        assert _run(codecache.compiled(changed)) == 46
    [kept] = next(cache_home.glob("rules-*")).glob("bundle-*.codes")
    assert len(marshal.loads(kept.read_bytes())) == 1  # what this run used: the old code is gone


def test_a_broken_bundle_is_written_anew(cache_home: Path) -> None:
    with codecache.bundle("set"):
        codecache.compiled(SOURCE)
    [kept] = next(cache_home.glob("rules-*")).glob("bundle-*.codes")
    kept.write_bytes(b"not marshal data")
    with codecache.bundle("set"):
        assert _run(codecache.compiled(SOURCE)) == 42
    assert isinstance(marshal.loads(kept.read_bytes()), dict)
