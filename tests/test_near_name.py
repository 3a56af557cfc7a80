"""near-name through review: names in the tables a reader took out of the text, on the contents
page, and the index's cost on a long document."""

from __future__ import annotations

import time

from narrator.lint import load_lint_rules
from narrator.lint.kinds.nearname import _params, find_slips, slip_of
from narrator.review import review_file

TEXT = """某县2023年“三公”经费预算情况说明
单位:万元 | ||||
项目 | 2022年预算数 | 2023年预算数 |
合计 | 30.00 | 32.00 |
1、公务接待费 | 10.00 | 11.00 |
2、公务用车购置及运行维护费 | 20.00 | 21.00 |
其中:(1)公务用车运转维护费 | 15.00 | 16.00 |
(2)公务用车购置费 | 5.00 | 5.00 |
2023年“三公”经费预算32.00万元，比上年增加2.00万元，主要原因是车辆维修增加。
"""


def _near(path):
    return [(f.location.line, f.location.column, f.message) for f in review_file(path).findings
            if f.rule == "near-name"]


def test_a_slip_in_a_table_row_is_found_on_its_line(tmp_path):
    path = tmp_path / "三公.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert _near(path) == [(7, 1, "“公务用车运转维护费”疑为“公务用车运行维护费”之误（规范名称）")]


def test_the_same_table_with_the_standard_names_has_no_finding(tmp_path):
    path = tmp_path / "三公.txt"
    path.write_text(TEXT.replace("运转", "运行"), encoding="utf-8")
    assert _near(path) == []


def test_slips_and_other_words():
    assert slip_of("其他商品服务和支出", "其他商品和服务支出")        # a char moved over two
    assert slip_of("公务用车运转维护费", "公务用车运行维护费")        # one changed
    assert slip_of("参照公务员管理", "参照公务员法管理")              # one left out
    assert slip_of("收入决算总表", "收入决算表")                      # one put in
    assert not slip_of("公务用车运行维护费", "公务用车运行维护费")    # the name itself
    assert not slip_of("年初结转结余", "年初结转和结余", optional="和")
    assert not slip_of("其它商品和服务支出", "其他商品和服务支出", same=("他它",))
    assert not slip_of("公务用车运行维护，", "公务用车运行维护费")    # punctuation is no slip
    assert not slip_of("商务用车运行维护费", "公务用车运行维护费")    # another first char: another word


def test_a_long_document_costs_milliseconds():
    vocabulary, _ = _params(next(r for r in load_lint_rules() if r.name == "near-name"))
    page = TEXT * 300 + "其他商品服务和支出 1.00万元。"              # ~40 000 chars, one slip at the end
    find_slips(page, vocabulary)
    started = time.perf_counter()
    found = find_slips(page, vocabulary)
    elapsed = time.perf_counter() - started
    assert found[-1][2] == "其他商品和服务支出"
    assert elapsed < 1.0, elapsed    # ~0.1 s on a quiet machine; generous for a busy one


def test_known_slips_further_off_are_listed_data():
    from narrator.lint.kinds.vocabulary import vocabulary_of

    vocabulary = vocabulary_of(frozenset({"公务用车运行维护费"}), frozenset(), (("公车运行及维护费", "公务用车运行维护费"),),
                             5, "", (), 8, "中", "")
    text = "其中公车运行及维护费 2 万元，公务用车运行维护费 3 万元。"
    assert [(text[a:b], name) for a, b, name in find_slips(text, vocabulary)] == [("公车运行及维护费", "公务用车运行维护费")]


def test_the_index_read_back_from_the_cache_is_the_one_built(tmp_path, monkeypatch):
    from narrator.caches import yamlcache
    from narrator.lint.kinds import nearname, nearword, vocabulary

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("NARRATOR_NO_CACHE", raising=False)
    yamlcache._folder.cache_clear()
    built, build = [], vocabulary._built
    monkeypatch.setattr(vocabulary, "_built", lambda *args: built.append(args) or build(*args))
    rules = {rule.name: rule for rule in load_lint_rules()}
    try:
        indexes = []
        for _ in range(2):   # built and kept, then read back
            vocabulary.vocabulary_of.cache_clear()
            indexes.append((nearname._made(rules["near-name"])[0], nearword._made(rules["near-word"]).vocabulary))
        assert len(built) == 2                   # the second time nothing is built
        (name, word), (name_again, word_again) = indexes
        assert name_again is not name and name_again == name      # every field, the patterns' code too
        assert word_again == word
    finally:
        yamlcache._folder.cache_clear()
        vocabulary.vocabulary_of.cache_clear()
