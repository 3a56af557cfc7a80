"""The phrasings review reads claims with, compiled from ``rules/review/claims.yaml``.

Regions write the same claim many ways (比上年增加 / 较上年增 / 与上年相比，增加 / 增幅 …); the
words are data, and this module turns them into the few regular expressions the claim reader
needs, longest alternative first so that “增长率” wins over “增长”.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..errors import Location, RuleError
from ..resources import rules_dir
from ..loading.yamlload import load_yaml

CJK = "\u4e00-\u9fff"


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Phrasing:
    """The compiled phrasings."""

    units: dict[str, Decimal]
    number: re.Pattern            # an amount or percentage with its unit
    signs: dict[str, str]         # direction word → up | down | same
    direction_end: re.Pattern     # text ending in a direction word (before a number)
    comparison: re.Pattern        # the start of a comparison (比上年 / 与2024年预算相比 …)
    share_word: re.Pattern
    completion_word: re.Pattern
    prior_amount: re.Pattern
    budget_amount: re.Pattern     # this year's budget as the base of a 决算 amount
    budget_base: re.Pattern       # a comparison with the budget that states it (较预算数339万元减少…)
    reason: re.Pattern
    reason_up: re.Pattern
    reason_down: re.Pattern
    same: re.Pattern
    difference: re.Pattern        # an unsigned difference (差值为 …) before a number
    prefix: re.Pattern
    suffix: re.Pattern
    aliases: dict[str, str]       # written form (cleaned) → canonical subject, names and totals
    names: dict[str, str]         # the forms that are recognised at the end of a longer subject
    identities: tuple[tuple[str, str], ...]
    # a total → the two amounts it is the sum of, each a few ways of writing it (the first is shown)
    sum_identities: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    bounds: tuple[tuple[str, str], ...]  # (part, whole): the part's amount is never more than the whole's
    scopes: dict[str, tuple[str, ...]]  # a total → the only subjects it may consist of
    complete_lists: tuple[frozenset[str], ...]   # sets of subjects that make a whole between them
    listed_parts: dict[str, tuple[str, ...]]     # a total → its parts, when told in paragraphs of their own
    fund_prefixes: tuple[str, ...] = ()  # fund words a share's whole may leave out (占基本支出的…)
    scope_headings: tuple[str, ...] = ()  # endings of a line naming a department (a new scope)
    adjustment: re.Pattern = re.compile("(?!)")  # a change against the budget adjusted (调减 …)
    budget_gap: re.Pattern = re.compile("(?!)")  # what a result falls short of its budget by (短收 …)
    roughly: re.Pattern = re.compile("(?!)")     # the words before 持平 that allow a small change (基本 …)
    roughly_percent: Decimal = Decimal(0)        # the largest change, in %, “基本持平” allows


def _require(data: dict, key: str, where: Location) -> object:
    if key not in data:
        raise RuleError.at(where, "bad-review-rule", f"rules/review/claims.yaml 缺少 {key}")
    return data[key]


@cache
def phrasing() -> Phrasing:
    """The phrasings of ``rules/review/claims.yaml``, compiled once."""
    path = rules_dir() / "review" / "claims.yaml"
    data = load_yaml(path, "rules/review/claims.yaml")
    where = Location("rules/review/claims.yaml", 1, 1)
    units = {str(k): Decimal(str(v)) for k, v in _require(data, "units", where).items()}
    direction = _require(data, "direction", where)
    signs = {str(w): sign for sign, words in direction.items() for w in words}
    moving = [w for w, s in signs.items() if s != "same"]
    # 万 alone counts only where no CJK follows (“1000.86万，” but not “3万人”)
    # a number right after “?” or “\ufffd” lost a digit to a broken encoding (“?8639萬元”): not read
    # (a full-width comma between groups of three is a thousands separator misused: “381，713万元”
    # is 381713, which number-separator reports; read as it is meant)
    number = re.compile(r"(?<![\d.,，?\ufffd])(\d{1,3}(?:,\d{3})+|\d{1,3}(?:，\d{3})+|\d+)(\.\d+)?[ \u3000]*"
                        f"(万元|亿元|万(?![{CJK}])|亿(?![{CJK}])|元|%|％)")
    comparison = _alternatives(list(_require(data, "comparison", where)))
    reason_words = data.get("reason_words") or {}
    roughly = data.get("roughly") or {}
    names, aliases = {}, {}
    for group, table in (("aliases", names), ("totals", aliases)):
        for canonical, forms in (data.get(group) or {}).items():
            for form in [canonical, *forms]:
                table[clean_subject_text(str(form))] = str(canonical)
    aliases.update(names)
    return Phrasing(
        units=units,
        number=number,
        signs=signs,
        # “减少支出613.80万元”, “降幅达到38.7%”: the words between a direction and its number
        # also in brackets (“较上年(减少)16.23万元”, “(减)幅23%”), but not the residue “增加（减少）”
        direction_end=re.compile(f"(?:(?<!增加)(?<!减少)(?<!增长)(?<!下降)(?<!上升)(?<!降低)(?P<bracket>[（(]))?"
                                 f"(?P<word>{_alternatives(moving)})(?(bracket)[）)]幅?)[ \u3000]*"
                                 f"(?:{_alternatives(list(data.get('direction_tail') or ['为']))})?[ \u3000]*$"),
        comparison=re.compile(f"(?:{comparison})"),
        share_word=re.compile(f"(?:{_alternatives(list(_require(data, 'share', where)))})"),
        completion_word=re.compile(f"(?:{_alternatives(list(_require(data, 'completion', where)))})"),
        prior_amount=re.compile("|".join(f"(?:{p})" for p in _require(data, "prior_amount", where))),
        budget_amount=re.compile(str(data.get("budget_amount") or "^预算数为$")),
        budget_base=re.compile(str(data.get("budget_base") or "(?!)")),
        reason=re.compile(f"(?:{_alternatives(list(_require(data, 'reason', where)))})"),
        reason_up=re.compile(_alternatives(list(reason_words.get("up") or ["增加"]))),
        reason_down=re.compile(_alternatives(list(reason_words.get("down") or ["减少"]))),
        same=re.compile(f"(?:{_alternatives(list(direction.get('same') or ['持平']))})"),
        difference=re.compile(f"(?:{_alternatives(list(data.get('difference') or ['差值为']))})[ \u3000]*$"),
        prefix=re.compile(f"^(?:{'|'.join(data.get('subject_prefix') or [])})"),
        suffix=re.compile(f"(?:{_alternatives(list(data.get('subject_suffix') or []))})$"),
        aliases=aliases,
        names=dict(sorted(names.items(), key=lambda item: len(item[0]), reverse=True)),
        identities=tuple((str(a), str(b)) for a, b in data.get("identities") or []),
        sum_identities=tuple((str(i["total"]), tuple(tuple(str(n) for n in g) for g in i["parts"]))
                             for i in data.get("sum_identities") or []),
        bounds=tuple((str(part), str(whole)) for part, whole in data.get("bounds") or []),
        scopes={str(k): tuple(str(m) for m in v) for k, v in (data.get("scopes") or {}).items()},
        complete_lists=tuple(frozenset(str(m) for m in v) for v in data.get("complete_lists") or []),
        listed_parts={str(k): tuple(str(m) for m in v) for k, v in (data.get("listed_parts") or {}).items()},
        fund_prefixes=tuple(sorted((str(w) for w in data.get("fund_prefixes") or []), key=len, reverse=True)),
        scope_headings=tuple(str(w) for w in data.get("scope_headings") or []),
        adjustment=re.compile(f"(?:{_alternatives(list(data.get('adjustment') or []))})[ \u3000]*$")
        if data.get("adjustment") else re.compile("(?!)"),
        budget_gap=re.compile(f"(?:{_alternatives(list(data.get('budget_gap') or []))})[ \u3000]*$")
        if data.get("budget_gap") else re.compile("(?!)"),
        roughly=re.compile(f"(?:{_alternatives(list(roughly.get('words') or []))})$")
        if roughly.get("words") else re.compile("(?!)"),
        roughly_percent=Decimal(str(roughly.get("largest_percent") or 0)),
    )


_QUOTES = re.compile(r"[“”\"‘’'「」]")
_LEVEL_MARK = re.compile(r"[（(]\s*\d*\s*[类款项]?\s*[)）]|^\d{3,7}")
_YEARS = re.compile(r"(?:19|20)\d{2}\s*年度?|上年度?|本年度?|当年")


# a mirror site's reading aids after a char: 公务（wù）接待费, 数(shù)
PINYIN = re.compile("[（(][a-zü\u00e0-\u00fc\u0101-\u01dc]{1,7}[）)]")


def clean_subject_text(text: str) -> str:
    """A subject as compared: no spaces, quotes, years or 的; full-width brackets."""
    text = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    text = PINYIN.sub("", text)   # a mirror's reading aids: 公务（wù）接待费
    text = _LEVEL_MARK.sub("", _QUOTES.sub("", _YEARS.sub("", text)))
    return text.replace("的", "").strip("：:，,、；;。…—-·● ")


@cache
def unique_names() -> frozenset[str]:
    """Classification names that stand for one code only (a subject such names can be compared by)."""
    from collections import Counter

    from ..classification import load_classification

    counts: Counter[str] = Counter()
    for kind in ("functional", "economic"):
        counts.update(load_classification(kind).names.values())
    return frozenset(clean_subject_text(name) for name, count in counts.items() if count == 1)
