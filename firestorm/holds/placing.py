"""Placing a hold or an order from the public form: the customer's details checked (a name with
no link or address in it), copies never held beyond what is free (even with two customers at
once), one hold per form sent."""

import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from sqlalchemy import select

from firestorm import typed_text
from firestorm.catalog import books
from firestorm.catalog.models import Book
from firestorm.database import db
from firestorm.holds import availability, following
from firestorm.holds.models import Hold, HoldKind
from firestorm.holds.pickup import copies
from firestorm.people.accounts import EMAIL_SHAPE
from firestorm.people.models import EMAIL_MAX_LENGTH
from firestorm.refusals import Refusal

NAME_MAX_LENGTH = 80
PHONE_MAX_LENGTH = 40
NOTE_MAX_LENGTH = 500
# An order is not limited by the shelf, but a hundred copies is a typo, not a book club.
LARGEST_ORDER = 99
# Phone numbers as people write them: digits with spaces, dots, dashes, brackets, a leading +.
PHONE_SHAPE = re.compile(r"\+?[0-9 ().\-]+", re.ASCII)
PHONE_DIGITS = range(7, 16)
# References people read aloud and type: no 0/O, 1/I/L, 2/Z, 5/S or 8/B to mix up.
REFERENCE_LETTERS = "ACDEFGHJKMNPQRTUVWXY34679"
REFERENCE_LENGTH = 6
# The form's hidden request key, as hold_forms.py makes it (secrets.token_urlsafe).
REQUEST_KEY_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}", re.ASCII)
# A name never carries a link or an address: the desk reads it, and it once went into emails
# to whatever address the form was given. Read after NFKC (full-width "ｈｔｔｐ：／／" and "＠"
# are the ASCII ones), in any case. Initials keep their dots ("J.R.R. Tolkien", "Dr. Ng"): a
# one-letter part, or a space after the dot, is not a host.
ADDRESS_IN_A_NAME = re.compile(
    r"@"
    r"|:\s*/\s*/"  # any scheme's "://", spaces and all
    r"|\b(?:https?|ftp|mailto)\s*:"  # a scheme without its slashes ("http:evil")
    r"|\bwww[.。]\S"
    r"|[^\W_]{2,}[.。][^\W_]{2,}"  # a host: two words joined by a dot ("evil.example")
    r"|[.。][^\W_]{2,}/",  # a short host with a path ("t.co/…")
    re.IGNORECASE,
)
NOT_AN_ADDRESS = "Please write just your name, without a web or email address."
MISSING_PIECE = "This form is missing a piece: please send it again."
SENT_FOR_ANOTHER_BOOK = "This form was sent for another book: please send it again."
SOLD_OUT = (
    "Someone has just taken the last copy, so there is none left to hold. We can order it "
    "for you: send the form below and we'll let you know when it arrives."
)

log = logging.getLogger(__name__)


class NoSuchBook(LookupError):
    """The book is not in the public catalog (deleted, hidden, or never was)."""


class HoldRefused(Refusal):
    """What is wrong with the request, by form field ("" for the form as a whole), in the
    customer's words; `available` is how many copies are free to hold now."""

    def __init__(self, problems: dict[str, str], available: int):
        super().__init__(" ".join(problems.values()))
        self.problems = problems
        self.available = available

    @property
    def copies_all_taken(self) -> bool:
        """Nothing is left to hold: the customer is offered an order instead."""
        return self.problems.get("") == SOLD_OUT


@dataclass(frozen=True)
class HoldRequest:
    """What the customer typed; `quantity` is None when it was not a whole number."""

    kind: str
    name: str
    email: str
    phone: str
    quantity: int | None
    note: str

    def tidied(self) -> "HoldRequest":
        return replace(
            self,
            name=typed_text.one_line(self.name),
            email=typed_text.one_line(self.email),
            phone=typed_text.one_line(self.phone),
            note=typed_text.paragraphs(self.note),
        )


@dataclass(frozen=True)
class Placed:
    hold: Hold
    # None for a special order of a book the catalog doesn't have (special_orders.py).
    book: Book | None
    # False when this form had been sent before: the hold it made then, not a second one.
    is_new: bool
    # The token of the hold's private link (following.py); None only for a hold placed before
    # holds had links, or before the site's secret changed, and sent again since.
    link_token: str | None


def public_book(book_id: int) -> Book:
    """The book a customer may hold (in the catalog and not hidden), with its authors."""
    book = db.session.scalar(
        books.with_authors(select(Book).where(Book.id == book_id, Book.hidden.is_(False)))
    )
    if book is None:
        raise NoSuchBook(book_id)
    return book


def book_to_hold(book_id: int) -> tuple[Book, availability.Availability]:
    """The book and what the public may ask of it: a copy to hold, or an order."""
    book = public_book(book_id)
    return book, availability.availability_of(book)


def place_request(
    book_id: int, typed: HoldRequest, request_key: str, now: datetime, link_secret: str | bytes
) -> Placed:
    """Hold copies (kind "hold") or ask for the book to be ordered (kind "order"), with a
    private link to the hold's page made from the form's key and `link_secret` (the site's
    SECRET_KEY; following.link_token).

    The book's row stays locked from reading what is free to the new hold's insert (see
    availability.locked_availability): of two customers after the last copy, the second one
    sees the first one's hold and is told. A form sent twice finds its hold by its key.
    """
    book = public_book(book_id)
    locked = availability.locked_availability(book_id)
    if locked is None:  # deleted since public_book read it, by a member at the desk
        raise NoSuchBook(book_id)
    free = locked.available
    if not REQUEST_KEY_SHAPE.fullmatch(request_key or ""):
        raise HoldRefused({"": MISSING_PIECE}, free)
    earlier, token = placed_before(request_key, link_secret)
    if earlier is not None and earlier.book_id == book_id and not earlier.is_special_order:
        return Placed(earlier, book, is_new=False, link_token=token)
    if earlier is not None:
        raise HoldRefused({"": SENT_FOR_ANOTHER_BOOK}, free)
    typed = typed.tidied()
    problems = _problems(typed, free)
    if problems:
        raise HoldRefused(problems, free)
    hold = Hold(
        reference=new_reference(),
        request_key=request_key,
        private_link_hash=following.token_hash(following.link_token(request_key, link_secret)),
        book_id=book_id,
        kind=typed.kind,
        quantity=typed.quantity,
        customer_name=typed.name,
        customer_email=typed.email,
        customer_phone=typed.phone,
        note=typed.note,
        created_at=now,
    )
    db.session.add(hold)
    db.session.flush()
    # Never the customer's name, email or phone: logs are kept longer than holds.
    log.info(
        "%s %s placed for book %d, %s", typed.kind, hold.reference, book_id, copies(hold.quantity)
    )
    return Placed(
        hold, book, is_new=True, link_token=following.link_token(request_key, link_secret)
    )


def placed_before(request_key: str, link_secret: str | bytes) -> tuple[Hold | None, str | None]:
    """The hold this form placed when it was sent before (None if it wasn't), and its link's
    token (None when the link can't be made again: the site's secret changed meanwhile)."""
    earlier = db.session.scalar(select(Hold).where(Hold.request_key == request_key))
    if earlier is None:
        return None, None
    return earlier, following.link_made_again(earlier, link_secret)


def _problems(typed: HoldRequest, free: int) -> dict[str, str]:
    problems = {}
    if typed.kind not in (HoldKind.HOLD, HoldKind.ORDER):
        problems[""] = MISSING_PIECE
    problems |= customer_problems(typed)
    if typed.kind == HoldKind.HOLD:
        problems |= _hold_quantity_problems(typed.quantity, free)
    else:
        problems |= order_quantity_problems(typed.quantity)
    return problems


class CustomerDetails(Protocol):
    """Who is asking, as a public form gives it (a hold, an event sign-up), tidied."""

    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def note(self) -> str: ...


def customer_problems(typed: CustomerDetails) -> dict[str, str]:
    """What is wrong with the customer's name, ways to reach them and note: the same words on
    every public form that asks them."""
    problems = {}
    if not typed.name:
        problems["name"] = "Give your name, so we know whose it is."
    elif len(typed.name) > NAME_MAX_LENGTH:
        problems["name"] = f"Keep your name under {NAME_MAX_LENGTH} characters."
    elif looks_like_an_address(typed.name):
        problems["name"] = NOT_AN_ADDRESS
    problems |= _contact_problems(typed)
    if len(typed.note) > NOTE_MAX_LENGTH:
        problems["note"] = f"Keep the note under {NOTE_MAX_LENGTH} characters."
    return problems


def order_quantity_problems(quantity: int | None) -> dict[str, str]:
    if quantity is None or not 1 <= quantity <= LARGEST_ORDER:
        return {"quantity": f"Give a number of copies from 1 to {LARGEST_ORDER}."}
    return {}


def looks_like_an_address(name: str) -> bool:
    """Whether a name carries a web or email address, however it is spelled."""
    return ADDRESS_IN_A_NAME.search(unicodedata.normalize("NFKC", name)) is not None


def _contact_problems(typed: CustomerDetails) -> dict[str, str]:
    problems = {}
    if not typed.email and not typed.phone:
        problems["contact"] = "Give an email address or a phone number, so we can reach you."
    if typed.email and (not EMAIL_SHAPE.match(typed.email) or len(typed.email) > EMAIL_MAX_LENGTH):
        problems["email"] = f"“{typed.email}” doesn't look like an email address."
    if typed.phone and not _looks_like_a_phone_number(typed.phone):
        problems["phone"] = (
            f"“{typed.phone}” doesn't look like a phone number: give its digits, like 828-555-0143."
        )
    return problems


def _looks_like_a_phone_number(phone: str) -> bool:
    digits = sum(char.isdigit() for char in phone)
    return (
        len(phone) <= PHONE_MAX_LENGTH
        and PHONE_SHAPE.fullmatch(phone) is not None
        and digits in PHONE_DIGITS
    )


def _hold_quantity_problems(quantity: int | None, free: int) -> dict[str, str]:
    if free == 0:
        return {"": SOLD_OUT}
    if quantity is None or quantity < 1:
        return {"quantity": f"Give a number of copies from 1 to {free}."}
    if quantity > free:
        most = "you can hold 1" if free == 1 else f"you can hold up to {free}"
        return {"quantity": f"Only {_copies_count(free)} free to hold; {most}."}
    return {}


def new_reference() -> str:
    while True:
        reference = "".join(secrets.choice(REFERENCE_LETTERS) for _ in range(REFERENCE_LENGTH))
        taken = db.session.scalar(select(Hold.id).where(Hold.reference == reference))
        if taken is None:
            return reference


def _copies_count(count: int) -> str:
    return "1 copy is" if count == 1 else f"{count} copies are"
