"""The public forms behind "Hold a copy for pickup", "Ask us to order it" and /order (any book);
the rules live in holds/placing.py and holds/special_orders.py, which say what is wrong with what
was typed."""

import secrets
from dataclasses import replace

from wtforms import EmailField, Field, HiddenField, StringField, TelField, TextAreaField
from wtforms.widgets import NumberInput

from firestorm.holds.models import HoldKind
from firestorm.holds.placing import (
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    HoldRefused,
    HoldRequest,
)
from firestorm.holds.special_orders import (
    AUTHOR_MAX_LENGTH,
    FORMAT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    SpecialOrderRequest,
)
from firestorm.people.models import EMAIL_MAX_LENGTH
from firestorm.web.form_fields import WholeNumberField
from firestorm.web.forms import SiteForm


class CustomerForm(SiteForm):
    """Who is asking, on every public form that takes a customer's details (a hold, an
    order, an event sign-up): the same fields, the same words about them."""

    # Sending the form twice (a double click, Back and send again) makes one hold or sign-up.
    request_key = HiddenField()
    name = StringField(
        "Your name",
        render_kw={"autocomplete": "name", "maxlength": NAME_MAX_LENGTH, "required": True},
    )
    email = EmailField(
        "Email address", render_kw={"autocomplete": "email", "maxlength": EMAIL_MAX_LENGTH}
    )
    phone = TelField(
        "Phone number", render_kw={"autocomplete": "tel", "maxlength": PHONE_MAX_LENGTH}
    )

    # "Give an email address or a phone number": said above the two fields.
    contact_errors: tuple[str, ...] = ()

    def summary_messages(self, field: Field) -> list[str]:
        # The error summary links the words about the two contact fields to the first of them.
        extra = list(self.contact_errors) if field is self.email else []
        return [*extra, *super().summary_messages(field)]

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each problem next to its field, the others above them, and what was typed kept;
        a fresh key, since nothing was made and a key that was at fault is gone."""
        for name, message in problems.items():
            if name in self:
                self[name].errors = [message]
        self.contact_errors = tuple(m for name, m in problems.items() if name == "contact")
        self.form_errors = [problems[""]] if "" in problems else []
        self.request_key.data = new_request_key()


class HoldForm(CustomerForm):
    kind = HiddenField()
    # Anything that is not a whole number reads as None: placing.py says so in words.
    quantity = WholeNumberField(
        "Copies", digits=5, widget=NumberInput(min=1), render_kw={"required": True}
    )
    note = TextAreaField(
        "A note for us (optional)", render_kw={"maxlength": NOTE_MAX_LENGTH, "rows": 3}
    )

    @classmethod
    def blank(cls, kind: str) -> "HoldForm":
        """The form as the book page's link opens it, with a key of its own."""
        return cls(formdata=None, kind=kind, quantity=1, request_key=new_request_key())

    def typed(self) -> HoldRequest:
        return HoldRequest(
            kind=self.kind.data or "",
            name=self.name.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            quantity=self.quantity.data,
            note=self.note.data or "",
        )

    def show(self, refused: HoldRefused) -> None:
        """The problems shown (show_problems). When the last copy has just gone, the same form
        asks for an order instead."""
        self.show_problems(refused.problems)
        if refused.copies_all_taken:
            self.kind.data = HoldKind.ORDER


class SpecialOrderForm(HoldForm):
    """/order: the book as the customer names it, then the hold form's fields (an order)."""

    page_order = ("title", "author", "isbn", "format", "quantity")

    title = StringField(
        "Title", render_kw={"maxlength": TITLE_MAX_LENGTH, "required": True, "autocomplete": "off"}
    )
    author = StringField(
        "Author (optional)", render_kw={"maxlength": AUTHOR_MAX_LENGTH, "autocomplete": "off"}
    )
    isbn = StringField(
        "ISBN (optional)",
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 30},
    )
    format = StringField(
        "Format (optional)",
        render_kw={"maxlength": FORMAT_MAX_LENGTH, "list": "book-formats", "autocomplete": "off"},
    )

    @classmethod
    def asking_for(cls, title: str) -> "SpecialOrderForm":
        """The form as a link opens it: the title a search found nothing for, if any."""
        return cls(
            formdata=None,
            kind=HoldKind.ORDER,
            quantity=1,
            request_key=new_request_key(),
            title=title[:TITLE_MAX_LENGTH],
        )

    def typed_order(self) -> SpecialOrderRequest:
        return SpecialOrderRequest(
            title=self.title.data or "",
            author=self.author.data or "",
            isbn=self.isbn.data or "",
            format=self.format.data or "",
            customer=replace(self.typed(), kind=HoldKind.ORDER),
        )


def new_request_key() -> str:
    return secrets.token_urlsafe(24)
