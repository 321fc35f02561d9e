"""Prices (firestorm/catalog/prices.py): written the shop's locale's way in its currency, and
read back the same way; refused in words when typed wrong."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firestorm.catalog.prices import (
    Money,
    PriceProblem,
    format_price,
    price_and_format,
    read_plain_or_local_price,
    read_price,
)

US = Money("USD", "en_US")
GERMANY = Money("EUR", "de_DE")

# Every price a book can have: a cent up to just under a million, two decimals.
PRICES = st.decimals(
    min_value=Decimal("0.00"), max_value=Decimal("999999.99"), places=2, allow_nan=False
)


@pytest.mark.parametrize("money", [US, GERMANY], ids=["en_US", "de_DE"])
@given(price=PRICES)
def test_a_price_written_then_read_back_is_the_same_price(money, price):
    written = format_price(price, money)

    assert read_price("0" if written == "Free" else written, money) == price
    assert read_price(money.number(price), money) == price, "as the book form shows it"


def test_each_locale_writes_its_own_way():
    assert format_price(Decimal("18"), US) == "$18.00"
    assert format_price(Decimal("18"), GERMANY) == "18,00\xa0€"
    assert format_price(Decimal("1234.5"), GERMANY) == "1.234,50\xa0€"


def test_no_price_says_nothing_and_zero_is_free():
    assert format_price(None, US) == ""
    assert format_price(Decimal("0.00"), US) == "Free"
    assert price_and_format(Decimal("18"), "paperback", US) == "$18.00, paperback"
    assert price_and_format(None, "zine", US) == "zine"
    assert price_and_format(Decimal("0"), "", US) == "Free"
    assert price_and_format(None, "", US) == ""


@pytest.mark.parametrize(
    ("typed", "money", "price"),
    [
        ("18", US, Decimal("18.00")),
        ("$18.00", US, Decimal("18.00")),
        (" 18.5 ", US, Decimal("18.50")),
        ("1,250.00", US, Decimal("1250.00")),
        ("0", US, Decimal("0.00")),
        ("12,5", GERMANY, Decimal("12.50")),
        ("18,00 €", GERMANY, Decimal("18.00")),
        ("1.234,50", GERMANY, Decimal("1234.50")),
        ("", US, None),
        ("   ", GERMANY, None),
    ],
)
def test_prices_typed_the_locales_way_are_read(typed, money, price):
    assert read_price(typed, money) == price


@pytest.mark.parametrize(
    ("typed", "money", "words"),
    [
        ("-5", US, "can't be below zero"),
        ("-$5.00", US, "can't be below zero"),
        ("12,5", US, "Give the price as a number, like 18.00"),
        ("18.00", GERMANY, "Give the price as a number, like 18,00"),
        ("free", US, "Give the price as a number"),
        ("eighteen dollars", US, "Give the price as a number"),
        ("NaN", US, "Give the price as a number"),
        ("1e5", US, "Give the price as a number"),
        ("١٨", US, "Give the price as a number"),
        ("18.005", US, "at most 2 decimals"),
        ("99999999", US, "under $1,000,000.00"),
        ("9" * 400, US, "under $1,000,000.00"),
    ],
)
def test_anything_else_is_refused_in_words_naming_the_price(typed, money, words):
    with pytest.raises(PriceProblem) as refused:
        read_price(typed, money)

    assert words in str(refused.value)
    assert refused.value.field == "price"


def test_a_currency_without_cents_takes_whole_numbers():
    yen = Money("JPY", "ja_JP")

    assert read_price("1200", yen) == Decimal("1200")
    with pytest.raises(PriceProblem, match="whole number"):
        read_price("12.5", yen)


def test_a_csv_cell_may_hold_the_exports_plain_decimal_in_any_locale():
    assert read_plain_or_local_price("18.00", GERMANY) == Decimal("18.00")
    assert read_plain_or_local_price("18,50", GERMANY) == Decimal("18.50")
    with pytest.raises(PriceProblem):
        read_plain_or_local_price("12,5", US)


def test_a_locale_babel_does_not_know_is_said_in_words():
    with pytest.raises(ValueError, match="LOCALE 'xx_YY' is not a locale"):
        Money("USD", "xx_YY")
