import pytest
from hypothesis import given
from hypothesis import strategies as st

from shop.money import (
    format_bps_percent,
    format_cents,
    mean_cents,
    parse_euros,
    share_of,
    vat_by_rate,
    vat_included,
)


@pytest.mark.parametrize(
    ("amount", "bps", "expected"),
    [(1000, 2000, 200), (125, 1000, 12), (135, 1000, 14), (5, 1000, 0), (15, 1000, 2),
     (1, 5000, 0), (3, 5000, 2), (0, 2000, 0), (999, 10000, 999)],
)
def test_shares_round_half_to_even(amount, bps, expected):
    assert share_of(amount, bps) == expected


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10000))
def test_a_share_never_exceeds_the_amount(amount, bps):
    assert 0 <= share_of(amount, bps) <= amount


@pytest.mark.parametrize(
    ("cents", "french", "english"),
    [(1250, "12,50\u00a0€", "€12.50"), (123456, "1\u202f234,56\u00a0€", "€1,234.56"),
     (5, "0,05\u00a0€", "€0.05"), (-300, "-3,00\u00a0€", "-€3.00")],
)
def test_amounts_are_formatted_the_french_way(cents, french, english):
    assert format_cents(cents, "fr") == french
    assert format_cents(cents, "en") == english


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12,50", 1250), ("12.5", 1250), ("12 €", 1200), ("1 234,56", 123456), ("0", 0)],
)
def test_typed_amounts_are_parsed_to_cents(text, cents):
    assert parse_euros(text) == cents


@pytest.mark.parametrize(
    "text", ["abc", "", "-3", "1,234", "12,505", "nan", "inf", "1e400", "1.2.3", "+5"]
)
def test_bad_amounts_are_refused(text):
    with pytest.raises(ValueError):
        parse_euros(text)


def test_percentages_in_words():
    assert format_bps_percent(2000, "fr") == "20\u00a0%"
    assert format_bps_percent(1250, "fr") == "12,5\u00a0%"
    assert format_bps_percent(2000, "en") == "20%"


@pytest.mark.parametrize(("total", "count", "mean"), [
    (0, 0, 0), (1000, 0, 0), (1000, 3, 333), (5, 2, 2), (7, 2, 4), (15948, 4, 3987),
])
def test_a_mean_in_cents_is_rounded_half_to_even(total, count, mean):
    assert mean_cents(total, count) == mean


@pytest.mark.parametrize(("amount", "bps", "vat"), [
    (2000, 2000, 333), (1200, 2000, 200), (1100, 1000, 100), (1055, 550, 55),
    (2997, 550, 156), (105, 550, 5), (0, 2000, 0), (6, 2000, 1),
])
def test_the_vat_inside_a_price_is_rounded_half_to_even(amount, bps, vat):
    assert vat_included(amount, bps) == vat


def test_the_vat_is_rounded_line_by_line_then_summed_per_rate():
    # 29,97 € and 1,05 € at 5,5 %: 1,56 € + 0,05 €, where the total's VAT would be 1,62 €.
    assert vat_by_rate([(2997, 550), (105, 550), (1200, 2000)]) == {550: 161, 2000: 200}
    assert vat_included(2997 + 105, 550) == 162


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([2000, 1000, 550, 210]))
def test_the_vat_never_exceeds_the_price_net_of_tax(amount, bps):
    vat = vat_included(amount, bps)

    assert 0 <= vat <= amount
    # Within half a cent of the exact VAT: |(net × rate) − (VAT × 100 %)| ≤ (100 % + rate) / 2.
    assert abs((amount - vat) * bps - vat * 10000) * 2 <= 10000 + bps
