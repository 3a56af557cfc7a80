"""Numbers become text half up (四舍五入), with babel's zh_CN symbols."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from narrator.numbers import amount_text, chinese_numeral, format_amount, format_count, half_up, parse_amount


@pytest.mark.parametrize(("value", "text"), [
    ("0.125", "0.13"), ("0.135", "0.14"), ("2.675", "2.68"), ("-0.005", "-0.01"),
    ("1095.725", "1,095.73"), ("1234567.8", "1,234,567.80"), ("-0.001", "0.00"), ("0", "0.00"),
])
def test_half_up_not_half_even(value: str, text: str) -> None:
    assert format_amount(Decimal(value)) == text


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_layout_matches_babel_for_already_rounded_values(value: Decimal) -> None:
    assert format_amount(value) == format_decimal(value, format="#,##0.00", locale="zh_CN")


@given(st.decimals(min_value=-10**12, max_value=10**12, places=5, allow_nan=False))
def test_layout_of_any_value_is_babels_layout_of_the_value_rounded_half_up(value: Decimal) -> None:
    rounded = half_up(value)
    expected = format_decimal(abs(rounded) if rounded == 0 else rounded, format="#,##0.00", locale="zh_CN")
    assert format_amount(value) == expected
    whole = value.to_integral_value()
    assert format_count(whole) == format_decimal(abs(whole) if whole == 0 else whole, format="#,##0", locale="zh_CN")


@given(st.decimals(allow_nan=False, allow_infinity=False), st.integers(min_value=0, max_value=10))
def test_the_short_layout_of_small_numbers_is_python_s_grouped_layout(value: Decimal, places: int) -> None:
    # format_amount writes a number of up to three whole digits by str(): the same as format(",f")
    try:
        rounded = half_up(value, places)
    except ArithmeticError:  # (more digits than the context holds: format_amount fails alike)
        with pytest.raises(ArithmeticError):
            format_amount(value, places)
        return
    assert format_amount(value, places) == format(abs(rounded) if rounded == 0 else rounded, ",f")
    if places == 2:
        assert amount_text(value) == format_amount(value) == amount_text(value)  # (the second from memory)


@pytest.mark.parametrize("value, places, text", [
    ("-0", 2, "0.00"), ("-0.004", 2, "0.00"), ("-0", 8, "0.00000000"), ("999.995", 2, "1,000.00"),
    ("-999.994", 2, "-999.99"), ("1E+5", 2, "100,000.00"), ("0E-9", 0, "0"), ("-12.5", 0, "-13")])
def test_short_layout_edges(value: str, places: int, text: str) -> None:
    assert format_amount(Decimal(value), places) == text


def test_layout_constants_are_babels_zh_cn_data() -> None:
    """The decimal sign, group sign and group size kept as constants are babel's zh_CN data."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol, parse_pattern

    from narrator.numbers import DECIMAL_SYMBOL, GROUP_SYMBOL, GROUPING

    locale = Locale.parse("zh_CN")
    assert (DECIMAL_SYMBOL, GROUP_SYMBOL, GROUPING) == (
        get_decimal_symbol(locale), get_group_symbol(locale), parse_pattern("#,##0.00").grouping[0])


def test_numbers_does_not_load_babel() -> None:
    """Formatting a number needs no locale data at run time (a cold command saves loading it)."""
    import subprocess
    import sys

    code = "import sys, narrator.numbers as n; print(n.format_amount(n.Decimal('1234.5')), 'babel' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "1,234.50 False\n"


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False))
def test_rounding_moves_by_at_most_half_a_cent(value: Decimal) -> None:
    assert abs(half_up(value) - value) <= Decimal("0.005")


@pytest.mark.parametrize(("written", "amount"), [
    ("1,095.72", "1095.72"), ("—", "0"), ("", "0"), (" 12 ", "12"), ("１２．５", "12.5"), (7, "7"),
])
def test_written_amounts(written, amount: str) -> None:
    assert parse_amount(written) == Decimal(amount)


@pytest.mark.parametrize("written", ["12,34", "一百", "1.2.3", "12万", True])
def test_amounts_that_are_not(written) -> None:
    with pytest.raises(ValueError):
        parse_amount(written)


@pytest.mark.parametrize(("number", "text"), [(1, "一"), (10, "十"), (11, "十一"), (12, "十二"), (20, "二十"), (21, "二十一")])
def test_chinese_numerals(number: int, text: str) -> None:
    assert chinese_numeral(number) == text


def test_one_rounding_tolerance_for_check_lint_and_import() -> None:
    from narrator.checks import check
    from narrator.lint.kinds import parts
    from narrator.numbers import rounding_tolerance
    from narrator.workbook import assemble, details

    # the total and each of n parts are each printed within half a cent of their exact value
    assert [rounding_tolerance(n) for n in (0, 1, 2, 9)] == [Decimal("0.005"), Decimal("0.010"),
                                                           Decimal("0.015"), Decimal("0.050")]
    assert check.rounding_tolerance is parts.rounding_tolerance is assemble.rounding_tolerance \
        is details.rounding_tolerance is rounding_tolerance
