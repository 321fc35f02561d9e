"""Finding a hold at the desk from what the customer gives: their reference (any case, with or
without spaces or hyphens), part of their name (any case, any accents), their email (any case)
or their phone number (its digits alone: "828-555-0143" finds "(828) 555 0143").

A reference, an email and a phone are each found through an index (the reference's unique one,
holds.customer_email_key, holds.customer_phone_digits). Part of a name can be anywhere in it,
which no index of both databases finds, so a search for a name reads each hold's folded name:
only text that can be part of a name is looked for there. A name has no "@" (placing.py refuses
one) and no digit worth searching by, so an email, a phone number or a reference with a digit in
it is found through its index alone. A purged hold's details are erased, keys and all: it is
found by its reference alone.
"""

import re

from sqlalchemy import ColumnElement, or_, select

from firestorm import typed_text
from firestorm.holds.desk import (
    FILTERS,
    UnknownFilter,
    holds_for_desk,
    with_what_the_desk_shows,
)
from firestorm.holds.models import Hold, digits_of
from firestorm.pagination import Page, paginate

# A reference once spaces and hyphens are gone: the letters and digits placing.py draws from,
# leniently (a mistyped one is simply not found).
_REFERENCE = re.compile(r"[A-Z0-9]{4,12}")
_SPACES_AND_HYPHENS = re.compile(r"[\s\-‐‑‒–—]")
_LETTER = re.compile(r"[^\W\d_]")
# A phone number as people write one: digits, spaces, + ( ) . / and hyphens, nothing else.
_PHONE = re.compile(r"[0-9+()./\s\-]+")
# A LIKE pattern's own characters, escaped so that "50%" or "o_brien" mean what they say.
_LIKE_SPECIAL = re.compile(r"([\\%_])")


def search_text(typed: str, max_length: int) -> str:
    """What the search box sent, as one line of at most `max_length` characters."""
    return typed_text.one_line(typed)[:max_length]


def holds_listed(text: str, filter_name: str, page: int, per_page: int) -> Page:
    """The desk's list: the holds a search finds, or without one the list of FILTERS named."""
    if text:
        return holds_found(text, filter_name, page, per_page)
    return holds_for_desk(filter_name, page, per_page)


def holds_found(text: str, filter_name: str | None, page: int, per_page: int) -> Page:
    """One page of the holds `text` finds (newest first), in every state or in one of the
    desk's FILTERS; text that could be none of the four finds nothing."""
    states = None
    if filter_name:
        states = FILTERS.get(filter_name)
        if states is None:
            raise UnknownFilter(filter_name)
    statement = select(Hold).where(_matching(text))
    if states is not None:
        statement = statement.where(Hold.state.in_(states))
    statement = statement.order_by(Hold.created_at.desc(), Hold.id.desc())
    return paginate(with_what_the_desk_shows(statement), page, per_page)


def _matching(text: str) -> ColumnElement[bool]:
    conditions = _conditions(text)
    if not conditions:
        # No id at all: the database sees at once that nothing matches, and reads nothing.
        return Hold.id.in_([])
    return or_(*conditions)


def _conditions(text: str) -> list[ColumnElement[bool]]:
    """What the text could be, each as the condition that finds it."""
    conditions: list[ColumnElement[bool]] = []
    compact = _SPACES_AND_HYPHENS.sub("", text).upper()
    digits = digits_of(text)
    if _REFERENCE.fullmatch(compact):
        conditions.append(Hold.reference == compact)
    if "@" in text:
        conditions.append(Hold.customer_email_key == text.lower())
    if digits and _PHONE.fullmatch(text):
        conditions.append(Hold.customer_phone_digits == digits)
    if _LETTER.search(text) and "@" not in text and not digits:
        name_part = _LIKE_SPECIAL.sub(r"\\\1", typed_text.fold(text))
        conditions.append(Hold.customer_name_key.like(f"%{name_part}%", escape="\\"))
    return conditions
