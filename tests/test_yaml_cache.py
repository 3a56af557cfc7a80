"""narrator's own YAML files are parsed once and kept by content hash: the same trees, marks and all."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.caches import yamlcache
from narrator.resources import rules_dir, templates_dirs
from narrator.loading.yamlload import LocatedDict, LocatedList, load_yaml, load_yaml_text, read_text


def _same(one, other) -> bool:
    """Equal values of equal types, with equal marks at every level."""
    if type(one) is not type(other):
        return False
    if isinstance(one, LocatedDict):
        return (one.mark == other.mark and one.key_marks == other.key_marks and list(one) == list(other)
                and all(_same(one[k], other[k]) for k in one))
    if isinstance(one, LocatedList):
        return (one.mark == other.mark and one.item_marks == other.item_marks and len(one) == len(other)
                and all(_same(a, b) for a, b in zip(one, other)))
    return one == other


@pytest.fixture()
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setattr(yamlcache, "_folder", lambda: folder)
    return folder


def _data_files() -> list[Path]:
    return sorted(rules_dir().rglob("*.yaml")) + sorted(p for d in templates_dirs() for p in d.rglob("*.yaml"))


def test_every_data_file_reads_the_same_from_the_cache(cache_folder: Path) -> None:
    files = _data_files()
    assert len(files) > 50
    for path in files:
        fresh = load_yaml_text(read_text(path), str(path))
        first, second = load_yaml(path), load_yaml(path)  # parsed and kept, then read back
        assert _same(fresh, first) and _same(fresh, second), path
    assert len(list(cache_folder.glob("narrator-yaml-*.marshal"))) == len({p.read_bytes() for p in files})


def test_a_figures_file_is_never_kept(cache_folder: Path) -> None:
    from .conftest import EXAMPLE

    load_yaml(EXAMPLE)
    assert list(cache_folder.iterdir()) == []


def test_a_changed_file_is_parsed_again(cache_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATOR_TEMPLATES", str(tmp_path / "formats"))
    templates_dirs.cache_clear()
    try:
        path = tmp_path / "formats" / "mine" / "format.yaml"
        path.parent.mkdir(parents=True)
        path.write_text("name: mine\namount: 1.50\n", encoding="utf-8")
        assert load_yaml(path) == {"name": "mine", "amount": yamlcache.Decimal("1.50")}
        path.write_text("name: mine\namount: 2.50\n", encoding="utf-8")
        assert load_yaml(path)["amount"] == yamlcache.Decimal("2.50")
        assert len(list(cache_folder.glob("*.marshal"))) == 2
    finally:
        monkeypatch.delenv("NARRATOR_TEMPLATES")
        templates_dirs.cache_clear()


def test_a_damaged_entry_or_an_unwritable_folder_means_parsing(cache_folder: Path, monkeypatch) -> None:
    path = rules_dir() / "shapes" / "files.yaml"
    fresh = load_yaml_text(read_text(path), str(path))
    load_yaml(path)
    (entry,) = cache_folder.glob("*.marshal")
    entry.write_bytes(b"\x00damaged")
    assert _same(load_yaml(path), fresh)
    entry.unlink()
    cache_folder.chmod(0o500)
    try:
        assert _same(load_yaml(path), fresh)
    finally:
        cache_folder.chmod(0o700)
    monkeypatch.setattr(yamlcache, "_folder", lambda: None)
    assert _same(load_yaml(path), fresh)


def test_trees_the_cache_cannot_keep_exactly_are_not_kept(cache_folder: Path) -> None:
    shared = load_yaml_text("base: &b {x: 1}\none: *b\ntwo: *b\n", "t.yaml")  # one node in two places
    assert yamlcache.cached_tree(b"aliases", lambda: shared) is shared
    dated = load_yaml_text("day: 2025-01-01\n", "t.yaml")
    assert yamlcache.cached_tree(b"dates", lambda: dated) is dated
    assert list(cache_folder.iterdir()) == []


def test_bundled_classification_tables_read_the_same_from_the_cache(cache_folder: Path) -> None:
    from narrator.classification.reference import KINDS, bundled_table
    from narrator.classification.table import parse_table

    for kind in KINDS:
        path = rules_dir() / "classification" / f"{kind}.yaml"
        fresh = parse_table(load_yaml_text(read_text(path), str(path)), path)
        bundled_table.cache_clear()
        built = bundled_table(kind)  # parsed, and kept
        bundled_table.cache_clear()
        kept = bundled_table(kind)  # read back
        for table in (built, kept):
            assert table == fresh
            assert [(e.location, e.sources) for e in table.entries.values()] == \
                [(e.location, e.sources) for e in fresh.entries.values()]
    bundled_table.cache_clear()
