"""Units of merging: splitting is lossless, alignment pairs versions of the same sentence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from narrator.text.sentences import Unit, align, join_units, split_units
from narrator.workflow.update import merge

TEXT = st.text(alphabet=st.sampled_from(list("甲乙丙，。；！？\n ”） 1.#|")), max_size=80)


@given(TEXT)
def test_split_then_join_gives_the_text_back(text: str) -> None:
    assert join_units(split_units(text)) == text


def test_units_are_sentences_lines_and_paragraphs() -> None:
    assert split_units("# 标题\n\n甲。乙；丙\n| a | b |\n") == [
        Unit("# 标题"), Unit("甲。", "\n\n"), Unit("乙；"), Unit("丙"), Unit("| a | b |", "\n"), Unit("", "\n")]


def test_align_pairs_changed_shortened_and_moved_sentences() -> None:
    old = split_units("收入100.00万元，增长5.00%。支出90.00万元。结转3.02万元，占1.36%，比上年增加0.50万元。丁。")
    new = split_units("丁。收入110.00万元，增长15.50%。结转3.02万元，用于工作经费。")
    assert align(old, new) == {0: 1, 2: 2, 3: 0}


def test_merge_keeps_edits_takes_new_figures_and_hands_on_paragraph_breaks() -> None:
    base = "甲项10万元。甲的原因。\n\n乙项5万元。\n\n丙项1万元。"
    edited = "甲项10万元。甲的原因写得更好。\n\n乙项5万元。\n\n丙项1万元。人加的话。"
    new = "乙项6万元。\n\n丙项1万元。"
    merged = merge(base, edited, new, [], "doc.md")
    assert merged.text == "乙项6万元。\n\n丙项1万元。人加的话。"
    assert [f.rule for f in merged.conflicts] == ["edit-conflict"]
    assert merged.conflicts[0].location.line == 1


def test_merge_same_change_on_both_sides_is_no_conflict() -> None:
    merged = merge("甲项10万元。", "甲项12万元。", "甲项12万元。", [], "doc.md")
    assert (merged.text, merged.conflicts) == ("甲项12万元。", [])


# -- properties of the merge on real generated texts --------------------------------------------

import random  # noqa: E402

import figuresgen  # noqa: E402
from hypothesis import settings  # noqa: E402

from narrator.intake.figures import load_figures_text  # noqa: E402
from narrator.text.render import render_figures  # noqa: E402

_TEXTS: dict[int, str] = {}


def _text(index: int) -> str:
    if index not in _TEXTS:
        _TEXTS[index] = render_figures(load_figures_text(figuresgen.figures_text(21, index), f"{index}.yaml")).text
    return _TEXTS[index]


def _edit(text: str, seed: int) -> str:
    """A person's edits: reword, delete, add and move a few sentences."""
    rng = random.Random(seed)
    units = split_units(text)
    for _ in range(rng.randint(1, 6)):
        k = rng.randrange(len(units))
        action = rng.choice(["reword", "delete", "add", "move"])
        unit = units[k]
        if action == "reword" and len(unit.text) > 4:
            units[k] = Unit(unit.text[:-1] + "（已核）" + unit.text[-1], unit.sep)
        elif action == "delete" and len(units) > 3:
            del units[k]
        elif action == "add":
            glued = unit.text.endswith(("。", "；"))
            units.insert(k + 1, Unit(f"人工补充第{k}句。", "" if glued else "\n\n"))
        elif action == "move" and unit.text.endswith("。"):  # a sentence moved to a paragraph of its own
            del units[k]
            units.insert(rng.randrange(1, len(units)), Unit(unit.text, "\n\n"))
    return join_units(units)


def _pieces(text: str, allowed: set[str]) -> bool:
    """Whether ``text`` is one or more of ``allowed`` run together."""
    ends = {0}
    for end in range(1, len(text) + 1):
        if any(start in ends and text[start:end] in allowed for start in range(end)):
            ends.add(end)
    return len(text) in ends


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30))
def test_without_edits_the_merge_is_the_new_text(a: int, b: int) -> None:
    merged = merge(_text(a), _text(a), _text(b), [], "doc.md")
    assert merged.text == _text(b)
    assert merged.conflicts == []


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 30), st.integers(0, 10_000))
def test_when_the_figures_did_not_change_the_edits_are_all_kept(a: int, seed: int) -> None:
    edited = _edit(_text(a), seed)
    merged = merge(_text(a), edited, _text(a), [], "doc.md")
    assert merged.text == edited
    assert merged.conflicts == []


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 10_000))
def test_every_unit_of_the_result_comes_from_the_edited_or_the_new_text(a: int, b: int, seed: int) -> None:
    edited = _edit(_text(a), seed)
    merged = merge(_text(a), edited, _text(b), [], "doc.md")
    allowed = {u.text for u in split_units(edited)} | {u.text for u in split_units(_text(b))}
    for unit in split_units(merged.text):  # a unit, or units run together on one line
        assert _pieces(unit.text, allowed), unit.text
    assert len({f.location.line for f in merged.conflicts}) == len(merged.conflicts) or merged.conflicts
