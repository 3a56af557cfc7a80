"""The figures writer writes values that narrator's own loader reads back exactly."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from narrator.workbook.emit import scalar
from narrator.loading.yamlload import load_yaml_text

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\x85\u2028\u2029"),
               min_size=1, max_size=30)


@given(TEXT)
@example("\ufffe")     # a char YAML does not allow in a file, written as its escape
def test_any_text_reads_back(text):
    assert load_yaml_text(f"key: {scalar(text)}\n", "t.yaml")["key"] == text


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_amounts_read_back_with_two_decimals(amount):
    written = scalar(amount)
    back = load_yaml_text(f"key: {written}\n", "t.yaml")["key"]
    assert Decimal(back) == amount
    assert written == "0" or written.split(".")[1].__len__() == 2


def test_plain_where_yaml_allows():
    assert scalar("信访业务工作经费") == "信访业务工作经费"
    assert scalar("克财预〔2022〕30 号：2022 年度第一书记工作经费（2023.3.1）") == \
        "克财预〔2022〕30 号：2022 年度第一书记工作经费（2023.3.1）"
    assert scalar("yes") == '"yes"' and scalar("a: b") == '"a: b"' and scalar("- x") == '"- x"'
    assert scalar(Decimal("214.2")) == "214.20" and scalar(Decimal("0.005")) == "0.005"
