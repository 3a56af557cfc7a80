"""Units of merging: splitting is lossless, alignment pairs versions of the same sentence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from narrator.sentences import Unit, align, join_units, split_units
from narrator.update import merge

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
