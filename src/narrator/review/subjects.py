"""Subjects: what a claim is about, as the text names it and as it is compared.

A subject text is cleaned (list marks, spaces, quotes, years and 的 taken off), then keyed: a known
name (the phrasings' aliases and totals, or a classification name that stands for one code) gives
its canonical subject; any other subject is compared by its text without relation words.
"""

from __future__ import annotations

import re

from .phrasing import CJK, clean_subject_text, phrasing, unique_names

_LIST_MARK = re.compile(r"^(?:\s|[（(][一二三四五六七八九十\d]+[)）]、?|\d+\s*[、.．]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)+")
_HAS_CJK = re.compile(f"[{CJK}]")

# names that hold 预算 without saying that an amount is a budget (一般公共预算 is a fund, 预算法 a law)
_NOT_KIND = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算|预算法|预算管理|预算单位|部门预算|预算公开")


def kind_of(text: str) -> str:
    """决算 or 预算 when ``text`` says which kind of amount it speaks of, '' when it does not."""
    text = _NOT_KIND.sub("", text)
    last_final, last_budget = text.rfind("决算"), text.rfind("预算")
    if last_final < 0 and last_budget < 0:
        return ""
    return "决算" if last_final > last_budget else "预算"


def _forms(subject: str) -> list[str]:
    """The subject, then the subject with its leading and trailing relation words taken off, step by step."""
    p = phrasing()
    forms = [subject]
    for _ in range(6):
        stripped = p.suffix.sub("", p.prefix.sub("", forms[-1]))
        if stripped == forms[-1]:
            break
        forms.append(stripped)
    return forms


def subject_key(subject: str) -> str:
    """The canonical subject of a cleaned subject text ('' when it names nothing).

    A known name at the end of the subject wins (“本部门一般公共预算三公经费预算支出” → “三公”经费);
    otherwise the subject without its relation words.
    """
    p = phrasing()
    forms = _forms(subject)
    for form in forms:
        if form in p.aliases:
            return p.aliases[form]
        for name, canonical in p.names.items():
            if name and form.endswith(name):
                return canonical
    return forms[-1] if _HAS_CJK.search(forms[-1]) else ""


def exact_key(subject: str) -> str:
    """The canonical subject when the text names exactly a known subject and nothing more specific.

    Known subjects are the phrasings' names (not the totals: 项目支出 of the department and of its
    财政拨款 are different amounts) and the classification names that stand for one code.
    """
    names = phrasing().names
    for form in _forms(subject):
        if form in names:
            return names[form]
        if form in unique_names():
            return form
    return ""


def clean(text: str) -> str:
    """A subject as written, without its list mark, cleaned for comparing."""
    return clean_subject_text(_LIST_MARK.sub("", text))
