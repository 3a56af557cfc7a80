"""The figures as the rule engine and the templates see them: records with locations.

A :class:`Record` holds the fields written in the figures file and, lazily, the values of
the rules that apply to it (``item.change``, ``item.share`` …): asking for a derived value
evaluates its rule once and remembers it. Every record knows its YAML path and where it was
written, so any problem with it can be reported at that line.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from ..classification import load_vocabulary
from ..text import formatfields
from ..errors import Location
from ..compute.expr import RULE_TYPES, Missing, MissingFigure, Placed
from .figures import LoadedFigures
from .validator import Validated


_NO_RULES: dict[str, Any] = {}  # shared by records no engine has adopted yet (never written to)


class Record(Placed):
    """A mapping of figure fields plus lazily evaluated rule values."""

    __slots__ = ("_fields", "_values", "_kind", "_path", "_location", "_rules", "_owner", "_engine")

    def __init__(self, fields: dict[str, Any], path: str, location: Location | tuple,
                 kind: str | None = None) -> None:
        # ``location`` may be (figures, keys) until someone asks for it: most records are never
        # reported, and finding each record's line was a tenth of evaluating the rules
        self._fields = fields
        self._values: dict[str, Any] = {}
        self._kind = kind
        self._path = path
        self._location = location
        self._rules: dict[str, Any] = _NO_RULES  # set by the engine: its kind's and its own rules
        self._owner: str | None = None
        self._engine: Any = None

    # -- access from rule expressions: a field not given is a Missing figure
    def rule_attr(self, name: str) -> Any:
        values = self._values
        if name in values:
            return values[name]
        rule = self._rules.get(name)
        if rule is not None:
            return self._engine._run(rule, self)
        if name in self._fields:
            value = self._fields[name]
            return Missing(f"{self._path}.{name}", self._location) if value is None else value
        raise MissingFigure(f"{self._path}.{name}", self._location)

    def rule_item(self, key: Any) -> Any:
        return self.rule_attr(str(key))

    def field_values(self) -> list:
        return [v for v in self._fields.values() if v is not None]

    # -- access from templates: a field not given is None, an unknown name is undefined
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            value = self.rule_attr(name)
        except MissingFigure:
            raise AttributeError(name) from None
        return None if isinstance(value, Missing) else value

    def __getitem__(self, key: Any) -> Any:
        try:
            return self.__getattr__(str(key))
        except AttributeError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        return key in self._fields or key in self._values

    def get(self, key: str, default: Any = None) -> Any:
        """Like ``dict.get``, for templates."""
        try:
            value = self.__getattr__(key)
        except AttributeError:
            return default
        return default if value is None else value

    def set_value(self, name: str, value: Any) -> None:
        """Remember a rule's value (used by the engine)."""
        self._values[name] = value

    @property
    def path(self) -> str:
        """The record's YAML path, e.g. ``income.unit`` or ``functional[2]``."""
        return self._path

    def __repr__(self) -> str:
        return f"Record({self._path})"


class RecordList(Placed, list):
    """A list of records; with keys (``income.general``) when its records have a ``key``."""

    __slots__ = ("path", "_location", "_keys")  # (no instance dict: ~25 lists a document)

    def __init__(self, records: list, path: str, location: Location | tuple) -> None:
        list.__init__(self, records)
        self.path = path
        self._location = location  # as a Record's: (figures, keys) until asked for
        self._keys: dict[str, Any] | None = None  # made when first asked for (most lists never are)

    @property
    def _by_key(self) -> dict[str, Any]:
        keys = self._keys
        if keys is None:
            keys = self._keys = {r._fields["key"]: r for r in self
                                 if isinstance(r, Record) and "key" in r._fields}
        return keys

    def rule_attr(self, name: str) -> Any:
        keys = self._by_key
        if name in keys:
            return keys[name]
        raise MissingFigure(f"{self.path}.{name}", self._location)

    def rule_item(self, key: Any) -> Any:
        if isinstance(key, int):
            return self[key]
        return self.rule_attr(str(key))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._by_key[name]
        except KeyError:
            raise AttributeError(name) from None

    def records(self) -> Iterator[Record]:
        """The records of this list (all items are records)."""
        return iter(self)


RULE_TYPES.update((Record, RecordList))


def _wrap(value: Any, raw_path: tuple, path: str, loaded: LoadedFigures, made: list) -> Any:
    # straight from the validated figures (no plain copy of them first): a model or a mapping
    # becomes a record, a list a record list; a figure (most fields) stays itself, without a call
    if isinstance(value, list):
        items = [_wrap(v, raw_path + (i,), f"{path}[{i}]", loaded, made)
                 if v.__class__ not in _FIGURES and isinstance(v, _NESTED) else v for i, v in enumerate(value)]
        return RecordList(items, path, (loaded, raw_path))
    if value.__class__ is Validated:  # its fields copied at once, the few nested ones replaced
        fields = value.__dict__.copy()
        del fields["_name"]
        # a 项's basic and project amounts are read by build_roots into records of their own
        parts = _PARTS if len(raw_path) == 2 and raw_path[0] == "functional" else ()
        for k, v in fields.items():
            if v.__class__ not in _FIGURES and isinstance(v, _NESTED) and not (k in parts and v.__class__ is Validated):
                fields[k] = _wrap(v, raw_path + (k,), f"{path}.{k}", loaded, made)
    else:
        fields = {str(k): _wrap(v, raw_path + (k,), f"{path}.{k}", loaded, made) if isinstance(v, _NESTED)
                  else v for k, v in value.items()}
    record = Record(fields, path, (loaded, raw_path))
    made.append(record)
    return record


_NESTED = (Validated, dict, list)
_PARTS = ("basic", "project")
_FIGURES = frozenset((str, Decimal, int, bool, type(None)))  # never nested: no isinstance asked


def _keyed(entries: list[dict], given: Any, root: str, loaded: LoadedFigures,
           defaults: dict[str, Any], absent: dict[str, Any]) -> RecordList:
    """One record per vocabulary entry, in the vocabulary's order, filled from the file."""
    records = []
    given = _fields_of(given)
    for entry in entries:
        key = entry["key"]
        written = given.get(key)
        if written is None:  # (the commonest case: a source or part not in the file)
            fields = {**entry, **absent, "given": False}
            where: tuple = (root,)
        else:
            fields = {**entry, **defaults}
            if written.__class__ is Validated:
                fields.update({k: v for k, v in written.__dict__.items() if v is not None and k != "_name"})
            else:
                fields.update({k: v for k, v in written.items() if v is not None})
            fields["given"] = True
            where = (root, key)
        records.append(Record(fields, f"{root}.{key}", (loaded, where), kind=root))
    return RecordList(records, root, (loaded, (root,)))


def _fields_of(value: Any) -> Any:
    """The fields of a validated model (a mapping of them), {} for None, any other value itself."""
    if value is None:
        return None
    if value.__class__ is Validated:
        return {k: v for k, v in value.__dict__.items() if k != "_name"}
    return value


class Roots(dict):
    """The roots of one figures file, by name, with the figures they were built from (the
    engine builds them again when its happy path hands over to the interpreted one) and every
    record made for them (the engine adopts those without looking through every field)."""

    __slots__ = ("loaded", "records", "_built")

    def records_made(self) -> list[Record] | None:
        """Every record build_roots made (some no longer reachable), or None when a root was
        replaced or added since: then only a walk through the roots finds their records."""
        built = self._built
        if len(built) != len(self) or any(a is not b for a, b in zip(self.values(), built)):
            return None
        return self.records


#: the fund sources of figures of the formats ``fields_of``, with what they were made from (the
#: vocabulary, each format's declared fields): the same for every document of those formats
#: while those are the same objects (making them again for each document was a fiftieth of
#: the rules stage; a format folder added or changed gives new declarations); build_roots
#: only reads them
_SOURCES: dict[tuple, tuple[tuple, list[dict[str, Any]]]] = {}


def _fund_sources(fields_of: tuple, vocab: Any) -> list[dict[str, Any]]:
    made_from = (vocab, *(formatfields.declared_fields(name) for name in fields_of if name is not None))
    kept = _SOURCES.get(fields_of)
    if kept is None or len(kept[0]) != len(made_from) or any(a is not b for a, b in zip(kept[0], made_from)):
        kept = _SOURCES[fields_of] = (made_from, formatfields.fund_sources(*fields_of))
    return kept[1]


def build_roots(loaded: LoadedFigures) -> dict[str, Any]:
    """The top-level names rule expressions and templates see, built from validated figures
    (a :class:`Roots`: a dict that knows ``loaded``)."""
    data = _fields_of(loaded.model)
    vocab = load_vocabulary()
    zero = Decimal(0)
    fund_sources = _fund_sources(tuple(loaded.fields_of), vocab)
    sources = [e["key"] for e in fund_sources]
    roots = Roots()
    roots.loaded = loaded
    made: list[Record] = []
    replaced = ("income", "three_public", "expenditure", "general_budget", "economic", "declared", "purposes")
    for name, value in data.items():  # (those replaced below keep their place in the order)
        roots[name] = (None if name in replaced else
                       _wrap(value, (name,), name, loaded, made) if isinstance(value, _NESTED) else value)
    # A source, part or kind that is not written at all had nothing this year nor last year;
    # one that is written must say what it had last year (prior), or the text cannot compare.
    roots["income"] = _keyed(fund_sources, data["income"] or {}, "income", loaded,
                             {"amount": zero, "prior": None, "reason": None},
                             {"amount": zero, "prior": zero, "reason": None})
    roots["three_public"] = _keyed(vocab["three_public"], data["three_public"] or {}, "three_public",
                                   loaded, {"amount": zero, "prior": None, "reason": None},
                                   {"amount": zero, "prior": zero, "reason": None})
    for name in ("expenditure", "general_budget"):
        roots[name] = _keyed(vocab["expenditure_kinds"], data[name] or {}, name, loaded,
                             {"prior": None, "reason": None}, {"prior": None, "reason": None})
    for index, item in enumerate(roots["functional"]):
        item._kind = "functional"
        for part in ("basic", "project"):
            given = item._fields.get(part)
            if given is None:
                amounts = dict.fromkeys(sources, zero)
            else:  # (a model not made a record first: see _wrap)
                given = given.__dict__ if given.__class__ is Validated else given._fields
                amounts = {s: given.get(s) or zero for s in sources}
            where = ("functional", index, part) if given is not None else ("functional", index)
            item._fields[part] = part_record = Record(amounts, f"functional[{index}].{part}", (loaded, where))
            made.append(part_record)
    for name in ("projects", "carryover"):
        for record in roots[name]:
            record._kind = name
    economic = [Record({"code": code, "amount": amount}, f"economic.{code}", (loaded, ("economic", code)),
                       kind="economic") for code, amount in data["economic"].items()]
    roots["economic"] = RecordList(economic, "economic", (loaded, ("economic",)))
    # The top-level sections written in the file: a template can tell “not filled in” from zero.
    roots["written"] = frozenset(str(key) for key in loaded.raw) if isinstance(loaded.raw, dict) else frozenset()
    roots["declared"] = dict(data["declared"])
    roots["purposes"] = dict(data["purposes"])
    for name in ("income", "three_public", "expenditure", "general_budget", "economic"):
        made.extend(roots[name])
    roots.records = made
    roots._built = tuple(roots.values())
    return roots
