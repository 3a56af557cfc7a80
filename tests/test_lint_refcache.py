"""A cold ``narrator lint --figures`` compares with the text these figures rendered before
(``narrator.lint.refcache``): the same findings, the figures not read, never a stale text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from narrator.loading import yamlload
from narrator.intake.figures import load_figures
from narrator.lint import refcache
from narrator.text.render import render_figures

from .conftest import EXAMPLE, ROOT, run


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NARRATOR_NO_CACHE", raising=False)
    return tmp_path / "cache"


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The figures files parsed from now on (by their shown path)."""
    read: list[str] = []
    parse = yamlload.load_yaml_text
    monkeypatch.setattr(yamlload, "load_yaml_text", lambda text, shown, *rest: read.append(shown) or parse(text, shown, *rest))
    return read


def _wrong_text(tmp_path: Path) -> tuple[Path, str]:
    """The example's text with its first amount written wrong, and that amount."""
    text = render_figures(load_figures(EXAMPLE)).text
    first = re.search(r"\d+\.\d\d万元", text)
    path = tmp_path / "a.md"
    path.write_text(text[:first.start()] + "9" + text[first.start():], encoding="utf-8")
    return path, first.group()


def test_a_kept_reference_gives_the_same_findings_without_reading_the_figures(tmp_path, runner, cache, monkeypatch):
    text, amount = _wrong_text(tmp_path)
    figures = tmp_path / "figures.yaml"
    shutil.copy(EXAMPLE, figures)
    read = _reads(monkeypatch)
    first = run(runner, "lint", str(text), "--figures", str(figures), "--format", "json")
    assert first.exit_code == 1 and read.count(str(figures)) == 1
    assert len(list((cache / "narrator").glob("reference-*/*.reference"))) == 1
    # the second run reads the kept text; the figures only for the message's source (a traced render)
    second = run(runner, "lint", str(text), "--figures", str(figures), "--format", "json")
    assert second.exit_code == 1 and second.stdout == first.stdout and read.count(str(figures)) == 2
    assert f"金额写作 9{amount}，应为 {amount[:-2]} 万元（部门收入预算合计：规则 income_total）" in second.stdout
    # a text whose numbers are right needs no source: the figures are not read at all
    right = tmp_path / "b.md"
    right.write_text(render_figures(load_figures(EXAMPLE)).text, encoding="utf-8")
    clean = run(runner, "lint", str(right), "--figures", str(figures))
    assert clean.exit_code == 0 and "figure-" not in clean.stdout and read.count(str(figures)) == 2


def test_changed_figures_are_rendered_again(tmp_path, runner, cache):
    text, amount = _wrong_text(tmp_path)
    figures = tmp_path / "figures.yaml"
    shutil.copy(EXAMPLE, figures)
    assert run(runner, "lint", str(text), "--figures", str(figures)).exit_code == 1
    raw = figures.read_text(encoding="utf-8")
    before = run(runner, "lint", str(text), "--figures", str(figures)).stdout
    figures.write_text(raw + "\n# 改过\n", encoding="utf-8")   # other bytes: rendered again, kept beside
    after = run(runner, "lint", str(text), "--figures", str(figures))
    assert after.stdout == before and len(list((cache / "narrator").glob("reference-*/*.reference"))) == 2
    figures.write_text("a: [\n", encoding="utf-8")   # broken now: reported, not the kept text
    broken = run(runner, "lint", str(text), "--figures", str(figures))
    assert broken.exit_code == 2 and broken.stderr.startswith(f"{figures}:2:1: 错误 yaml-syntax")


def test_the_key_changes_with_everything_the_text_comes_from(tmp_path, cache, monkeypatch):
    """Figures, the format asked for, narrator's code, rules and templates: a change to any gives another key."""
    from narrator import resources

    figures = tmp_path / "figures.yaml"
    shutil.copy(EXAMPLE, figures)
    code, rules, templates = tmp_path / "code", tmp_path / "rules", tmp_path / "templates"
    for source, copy in ((ROOT / "src" / "narrator" / "lint", code), (ROOT / "rules" / "wording", rules),
                         (ROOT / "templates" / "_shared", templates)):
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(refcache, "_PACKAGE", code)
    monkeypatch.setattr(resources, "rules_dir", lambda: rules)
    monkeypatch.setattr(resources, "templates_dirs", lambda: (templates,))
    keys = [refcache.reference_key(figures, None)]
    assert keys[0] is not None and refcache.reference_key(figures, None) == keys[0]
    assert refcache.reference_key(figures, "xinjiang-2025") != keys[0]
    for changed in (figures, code / "context.py", next(rules.glob("*.yaml")), next(templates.glob("*.j2"))):
        changed.write_bytes(changed.read_bytes() + b"\n")
        keys.append(refcache.reference_key(figures, None))
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "x.pyc").write_bytes(b"")   # not code read: the same key
    (code / "notes.txt").write_text("x", encoding="utf-8")
    keys.append(refcache.reference_key(figures, None))
    assert len(set(keys)) == 5 and keys[-1] == keys[-2]
    (rules / "new.yaml").write_text("a: 1\n", encoding="utf-8")  # a new rule file
    assert refcache.reference_key(figures, None) != keys[-1]


def test_nothing_is_kept_without_a_cache_or_figures(tmp_path, runner, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("NARRATOR_NO_CACHE", "1")
    assert refcache.reference_key(EXAMPLE, None) is None
    monkeypatch.delenv("NARRATOR_NO_CACHE")
    assert refcache.reference_key(None, None) is None and refcache.reference_key(tmp_path / "none.yaml", None) is None
    assert refcache.reference_key(tmp_path / "a.docx", None) is None
    assert refcache.kept_reference(None) is None and refcache.kept_reference("0" * 40) is None
    key = refcache.reference_key(EXAMPLE, None)
    refcache._entry(key).write_bytes(b"not marshal data")   # a damaged entry: rendered again, kept again
    assert refcache.kept_reference(key) is None
    text, _ = _wrong_text(tmp_path)
    assert run(runner, "lint", str(text), "--figures", str(EXAMPLE)).exit_code == 1
    assert refcache.kept_reference(key)[0] == "xinjiang-2025"


def test_the_digest_of_settled_files_is_kept_by_their_stat(tmp_path, cache, monkeypatch):
    """Files changed a moment ago are read every time; settled ones once, until one of them changes."""
    from narrator import resources

    rules, templates = tmp_path / "rules", tmp_path / "templates"
    shutil.copytree(ROOT / "rules" / "wording", rules)
    shutil.copytree(ROOT / "templates" / "_shared", templates)
    monkeypatch.setattr(resources, "rules_dir", lambda: rules)
    monkeypatch.setattr(resources, "templates_dirs", lambda: (templates,))
    opened: list[str] = []
    monkeypatch.setattr(refcache, "open", lambda path, *rest: opened.append(str(path)) or open(path, *rest),
                        raising=False)
    first = refcache.reference_key(EXAMPLE, None)
    index = next((cache / "narrator").glob("reference-*")) / "installations.marshal"
    assert not index.exists() and len(opened) > 100          # just copied: not kept
    monkeypatch.setattr(refcache, "SETTLED", -60)             # as if they had been there a minute
    opened.clear()
    assert refcache.reference_key(EXAMPLE, None) == first and len(opened) > 100 and index.exists()
    opened.clear()
    assert refcache.reference_key(EXAMPLE, None) == first and opened == [str(EXAMPLE)]   # the figures only
    changed = next(rules.glob("*.yaml"))
    changed.write_bytes(changed.read_bytes() + b"#")
    assert refcache.reference_key(EXAMPLE, None) != first and len(opened) > 100


def test_a_linked_folder_is_read_once_and_a_loop_ends(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.j2").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")          # a loop
    (tmp_path / "a" / "c").symlink_to(tmp_path / "a" / "b")           # the same folder twice
    files = refcache._files(str(tmp_path / "a"), "")
    assert len(files) == 1 and files[0].endswith("x.j2")
