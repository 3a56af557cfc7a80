"""One classification table (支出功能分类, 部门预算/政府预算支出经济分类) with names by year.

A table is a YAML file (``rules/classification/*.yaml``, or an official edition a user
imported). Every entry names its code's current official name, where that name comes from
(``source``: ids of the file's ``sources``, each ``official``, ``published`` or ``memory``),
the years the code exists (``from``/``until``) and its former names (``formerly``: the last
year a name was used → that name), so that a document of any year gets the name of its year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FormatError, Location
from ..loading.yamlload import locate

LEVELS = {3: "类", 5: "款", 7: "项"}
#: How sure a source is, best first.
SURENESS = ("official", "published", "memory")
SURENESS_NAMES = {"official": "官方科目表", "published": "公开文档中所见", "memory": "仅凭记忆"}


@dataclass(frozen=True)
class Source:
    """Where entries come from: an official edition, published documents, or memory."""

    key: str
    kind: str
    title: str
    url: str = ""


@dataclass(frozen=True)
class Entry:
    """One code: its current name, its former names and the years it exists."""

    code: str
    name: str
    sources: tuple[Source, ...] = ()
    since: int | None = None          # first budget year the code exists
    until: int | None = None          # last budget year the code exists
    formerly: tuple[tuple[int, str], ...] = ()  # (last year used, name), earliest first
    location: Location = field(default=Location(""), compare=False)

    def name_in(self, year: int | None) -> str:
        """The name in force in budget ``year`` (the current name when ``year`` is None)."""
        if year is not None:
            for last_year, old_name in self.formerly:
                if year <= last_year:
                    return old_name
        return self.name

    def exists_in(self, year: int) -> bool:
        """Whether the code is in the classification of budget ``year``."""
        return (self.since is None or year >= self.since) and (self.until is None or year <= self.until)

    def renamed_in(self, name: str) -> int | None:
        """The first year ``name`` was no longer this code's name (None: never its name, or current)."""
        for last_year, old_name in self.formerly:
            if old_name == name:
                return last_year + 1
        return None

    @property
    def sureness(self) -> str:
        """The best kind among the entry's sources (``memory`` when it has none)."""
        kinds = {source.kind for source in self.sources}
        return next((kind for kind in SURENESS if kind in kinds), "memory")


@dataclass
class Classification:
    """One classification table with its entries by code."""

    title: str
    kind: str
    valid_from: int
    valid_to: int
    entries: dict[str, Entry]
    path: str = ""

    @property
    def names(self) -> dict[str, str]:
        """Every code's current name."""
        return {code: entry.name for code, entry in self.entries.items()}

    def __contains__(self, code: str) -> bool:
        return code in self.entries

    def name(self, code: str, year: int | None = None) -> str:
        """The official name of ``code`` in budget ``year`` (the current name if no year)."""
        return self.entries[code].name_in(year)

    def all_names(self, code: str) -> set[str]:
        """Every name the code has had, current and former."""
        entry = self.entries[code]
        return {entry.name, *(name for _, name in entry.formerly)}

    def every_name(self) -> set[str]:
        """Every name of every code, current and former (all :meth:`all_names` together, without a
        set per code: lint asks for those of three tables, ~2,600 codes)."""
        names = {entry.name for entry in self.entries.values()}
        for entry in self.entries.values():
            if entry.formerly:
                names.update(name for _, name in entry.formerly)
        return names

    def suggest(self, code: str, limit: int = 3) -> list[str]:
        """Codes of the same length that look like ``code`` (a did-you-mean).

        Codes under the same parent come first (a mistyped 项 is most often a sibling),
        then codes that merely look alike.
        """
        import difflib  # only for a code that is not there: a cold command need not load it

        same_level = [c for c in self.entries if len(c) == len(code)]
        for prefix in (5, 3):
            siblings = [c for c in same_level if len(code) > prefix and c[:prefix] == code[:prefix]]
            if siblings:
                return difflib.get_close_matches(code, siblings, n=limit, cutoff=0) or siblings[:limit]
        return difflib.get_close_matches(code, same_level, n=limit, cutoff=0.6)

    def code_for_name(self, name: str, level: int | None = None) -> list[str]:
        """Codes whose current or former name is ``name``, optionally of one length."""
        hits = self._index()[0].get(name, ())
        return sorted(c for c in hits if level is None or len(c) == level)

    def children(self, parent: str, level: int) -> list[str]:
        """The codes of length ``level`` under ``parent`` (a prefix of them), in the table's order."""
        if level != len(parent) + 2:
            return [c for c in self.entries if len(c) == level and c.startswith(parent)]
        return list(self._index()[1].get(parent, ()))

    def _index(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Codes by each of their names, and by their parent (the code two digits shorter), made
        once per table: lint asks for a dozen names and parents, and a scan of every entry for each
        was most of its time."""
        index = self.__dict__.get("_made_index")
        if index is None or index[0] is not self.entries:
            by_name: dict[str, list[str]] = {}
            by_parent: dict[str, list[str]] = {}
            for code, entry in self.entries.items():
                by_name.setdefault(entry.name, []).append(code)
                if entry.formerly:   # each other name once (most entries have none: no generator for them)
                    seen = {entry.name}
                    for _, name in entry.formerly:
                        if name not in seen:
                            seen.add(name)
                            by_name.setdefault(name, []).append(code)
                by_parent.setdefault(code[:-2], []).append(code)
            index = self.__dict__["_made_index"] = (self.entries, by_name, by_parent)
        return index[1], index[2]


# -- reading a table file ------------------------------------------------------------------

def parse_table(data: Any, path: Path | str) -> Classification:
    """A :class:`Classification` from a parsed table file; problems raise :class:`FormatError`."""
    shown = str(path)

    def fail(parts: tuple, message: str) -> FormatError:
        return FormatError.at(locate(data, parts, shown), "classification-data", message)

    if not isinstance(data, dict) or not isinstance(data.get("codes"), dict):
        raise fail((), "分类文件应有 codes: 映射（科目编码: 名称）")
    sources = _sources(data, fail)
    default = data.get("source")
    entries: dict[str, Entry] = {}
    for raw_code, value in data["codes"].items():
        code = str(raw_code)
        where = ("codes", raw_code)
        if not code.isdigit() or len(code) not in LEVELS:
            raise fail(where, f"科目编码 “{code}” 应为 3、5 或 7 位数字（加引号写，如 \"2010101\"）")
        fields = {"name": value} if isinstance(value, str) else value
        if not isinstance(fields, dict) or not isinstance(fields.get("name"), str) or not fields["name"].strip():
            raise fail(where, f"科目 {code} 应写名称：\"{code}\": 名称，或 {{name: 名称, source: 来源}}")
        cited = fields.get("source", default)
        cited = [] if cited is None else [cited] if isinstance(cited, str) else list(cited)
        unknown = [key for key in cited if key not in sources]
        if unknown:
            raise fail(where, f"科目 {code} 的来源 “{unknown[0]}” 未在 sources: 中说明；"
                              f"可选：{'、'.join(sources) or '（无）'}")
        formerly = fields.get("formerly") or {}
        if not isinstance(formerly, dict) or not all(isinstance(k, int) for k in formerly):
            raise fail(where, f"科目 {code} 的 formerly 应写 “最后使用年度: 旧名称”")
        entries[code] = Entry(
            code=code, name=fields["name"].strip(), sources=tuple(sources[key] for key in cited),
            since=_year(fields.get("from"), fail, where, code), until=_year(fields.get("until"), fail, where, code),
            formerly=tuple(sorted((int(k), str(v)) for k, v in formerly.items())),
            location=locate(data, where, shown),
        )
    return Classification(
        title=str(data.get("name", Path(shown).stem)), kind=str(data.get("kind", Path(shown).stem)),
        valid_from=int(data.get("valid_from", 0)), valid_to=int(data.get("valid_to", 9999)),
        entries=entries, path=shown,
    )


def table_to_plain(table: Classification) -> tuple:
    """The table as plain tuples (for narrator.caches.yamlcache); the file's path is not kept."""
    sources = {source.key: source for entry in table.entries.values() for source in entry.sources}
    return ((table.title, table.kind, table.valid_from, table.valid_to),
            tuple((s.key, s.kind, s.title, s.url) for s in sources.values()),
            tuple((e.code, e.name, tuple(s.key for s in e.sources), e.since, e.until, e.formerly,
                   e.location.line, e.location.column) for e in table.entries.values()))


def table_from_plain(plain: tuple, shown: str) -> Classification:
    """The table :func:`table_to_plain` gave, read from the file shown as ``shown``."""
    (title, kind, valid_from, valid_to), raw_sources, raw_entries = plain
    sources = {key: Source(key, kind_, title_, url) for key, kind_, title_, url in raw_sources}
    # the frozen dataclasses' __init__ sets each field through object.__setattr__: filling their
    # __dict__ at once makes the same objects (equal, hashed, printed alike) in half the time
    # (the ~1,400 entries of three tables were ~8 ms of a cold lint)
    new, entries = object.__new__, {}
    for code, name, cited, since, until, formerly, line, column in raw_entries:
        location = new(Location)
        location.__dict__.update(path=shown, line=line, column=column, page=0)
        entry = entries[code] = new(Entry)
        entry.__dict__.update(code=code, name=name, sources=tuple(sources[k] for k in cited), since=since,
                              until=until, formerly=formerly, location=location)
    return Classification(title=title, kind=kind, valid_from=valid_from, valid_to=valid_to, entries=entries,
                          path=shown)


def _sources(data: dict, fail: Any) -> dict[str, Source]:
    raw = data.get("sources") or {}
    if not isinstance(raw, dict):
        raise fail(("sources",), "sources: 应是 “来源代号: {kind: official|published|memory, title: 说明}” 的映射")
    sources = {}
    for key, value in raw.items():
        if not isinstance(value, dict) or value.get("kind") not in SURENESS:
            raise fail(("sources", key), f"来源 {key} 的 kind 应为 {'、'.join(SURENESS)} 之一")
        sources[str(key)] = Source(str(key), value["kind"], str(value.get("title", key)), str(value.get("url", "")))
    return sources


def _year(value: Any, fail: Any, where: tuple, code: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1990 <= value <= 2100:
        return value
    raise fail(where, f"科目 {code} 的 from/until 应为年度（如 2024）")
