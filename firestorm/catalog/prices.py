"""A book's price as the shop writes it and reads it: in its currency (CURRENCY), the way its
locale (LOCALE) writes numbers ("$18.00" in en_US, "18,00 €" in de_DE with EUR), through Babel.
No price is "" wherever it is shown, never "$0.00"; a price of 0 is "Free". No Flask."""

import re
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    get_group_symbol,
    parse_decimal,
)

from firestorm.refusals import Refusal

# Below the column's limit (Numeric(10, 2)); a price this high is a barcode typed in the
# wrong field, not a book.
LARGEST_PRICE = Decimal("1000000")
# The spaces a locale may group digits with (fr_FR's narrow no-break space, de_CH none).
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# What is left of a typed price once its currency is taken off: ASCII digits, a sign, and the
# locale's separators ("NaN", "1e5" and other digits, which Python would read, are not prices).
_NUMBER_CHARACTERS = re.compile(r"[-+]?[0-9][0-9.,'\u00a0\u202f\u2019]*")
# The CSV export's own way, in every locale: "18.00".
_PLAIN = re.compile(r"[0-9]+(\.[0-9]+)?")


class PriceProblem(Refusal, field="price"):
    """A price typed that can't be read, or can't be a price, in words the member can act on."""


@dataclass(frozen=True)
class Money:
    """The shop's currency (an ISO 4217 code: "USD") and the locale it writes numbers in
    ("en_US"), as the settings give them."""

    currency: str
    locale: str

    def __post_init__(self) -> None:
        # A typo in the settings is said at the first price, in words, not as a KeyError deep
        # in Babel.
        try:
            Locale.parse(self.locale)
        except (UnknownLocaleError, ValueError):
            raise ValueError(f"LOCALE {self.locale!r} is not a locale Babel knows.") from None

    @property
    def decimals(self) -> int:
        """How many decimals the currency's prices have: 2 for USD and EUR, 0 for JPY."""
        return get_currency_precision(self.currency)

    def example(self) -> str:
        """A price as the member would type it: "18.00", or "18,00" in de_DE."""
        return self.number(Decimal(18))

    def number(self, price: Decimal) -> str:
        """The price without its currency, the locale's way: what the book form shows."""
        pattern = "#,##0" + ("." + "0" * self.decimals if self.decimals else "")
        return format_decimal(price, format=pattern, locale=self.locale)


def format_price(price: Decimal | None, money: Money) -> str:
    """ "$18.00", "Free" for 0, "" for no price: a page then says nothing about the price."""
    if price is None:
        return ""
    if price == 0:
        return "Free"
    return format_currency(price, money.currency, locale=money.locale)


def price_and_format(price: Decimal | None, book_format: str, money: Money) -> str:
    """ "$18.00, paperback": the price and the format as a book's lines show them, either
    left out when the book has none ("" for neither)."""
    return ", ".join(part for part in (format_price(price, money), book_format) if part)


def read_price(typed: str | None, money: Money) -> Decimal | None:
    """The price typed, the locale's way ("18.00" or "$18.00" in en_US, "18,00" or
    "18,00 €" in de_DE); None for nothing typed (no price). PriceProblem, in words, for
    anything else: not a number ("free", "12,5" in en_US), below zero, with more decimals than
    the currency has, or too high."""
    text = _without_currency((typed or "").strip(), money)
    if not text:
        return None
    try:
        price = _parsed(text, money)
    except NumberFormatError:
        price = None
    if price is None or not price.is_finite():
        raise PriceProblem(
            f"Give the price as a number, like {money.example()}, or leave it empty "
            "for no price (0 is free)."
        )
    return checked_price(price, money)


def read_plain_or_local_price(typed: str | None, money: Money) -> Decimal | None:
    """A price in a CSV cell: the export's plain "18.00" in any locale, else the locale's way
    (a spreadsheet saved in de_DE writes "18,00")."""
    text = (typed or "").strip()
    if _PLAIN.fullmatch(text):
        return checked_price(Decimal(text), money)
    return read_price(text, money)


def checked_price(price: Decimal, money: Money) -> Decimal:
    """The price with the currency's decimals ("18" is 18.00), or PriceProblem."""
    if price < 0:
        raise PriceProblem("A price can't be below zero: write 0 for a free book.")
    if price >= LARGEST_PRICE:
        raise PriceProblem(
            f"Give a price under {format_price(LARGEST_PRICE, money)}: check the number."
        )
    cents = Decimal(1).scaleb(-money.decimals)
    if price != price.quantize(cents):
        raise PriceProblem(
            f"A price in {money.currency} has at most {money.decimals} decimals, like "
            f"{money.example()}."
            if money.decimals
            else f"A price in {money.currency} is a whole number, like {money.example()}."
        )
    # abs: "-0" is 0.
    return abs(price.quantize(cents))


def _without_currency(text: str, money: Money) -> str:
    """The typed price without the currency's symbol or code, wherever it was written."""
    for mark in (get_currency_symbol(money.currency, money.locale), money.currency):
        text = text.replace(mark, "")
    return text.strip()


def _parsed(text: str, money: Money) -> Decimal | None:
    """The number, strictly the locale's way (Babel refuses "12,5" in en_US); a locale that
    groups digits with a space of some kind takes any space there."""
    group = get_group_symbol(money.locale)
    if _SPACES.fullmatch(group):
        text = _SPACES.sub(group, text)
    if not _NUMBER_CHARACTERS.fullmatch(text):
        return None
    return parse_decimal(text, locale=money.locale, strict=True)
