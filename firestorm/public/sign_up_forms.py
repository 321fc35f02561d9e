"""The public form behind "Sign up" on an event's page; the rules live in events/signing_up.py,
which says what is wrong with what was typed, in the hold form's words."""

from datetime import datetime

from wtforms import HiddenField
from wtforms.widgets import NumberInput

from firestorm.events.signing_up import SignUpRefused, SignUpRequest
from firestorm.events.wording import date_value
from firestorm.public.hold_forms import CustomerForm, new_request_key
from firestorm.web.form_fields import WholeNumberField


class SignUpForm(CustomerForm):
    # The date signed up for: its start in UTC, as date_value writes it.
    date = HiddenField()
    # "1" when the form was drawn for a full date: the person joins the waiting list.
    waiting = HiddenField()
    places = WholeNumberField(
        "Places", digits=5, widget=NumberInput(min=1), render_kw={"required": True}
    )

    @classmethod
    def blank(cls, starts_at: datetime, full: bool) -> "SignUpForm":
        return cls(
            formdata=None,
            date=date_value(starts_at),
            waiting="1" if full else "",
            places=1,
            request_key=new_request_key(),
        )

    def typed(self) -> SignUpRequest:
        return SignUpRequest(
            name=self.name.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            places=self.places.data,
            waiting=self.waiting.data == "1",
        )

    def show(self, refused: SignUpRefused) -> None:
        """The problems shown (show_problems); when the last place has just gone, the same
        form offers the waiting list."""
        self.show_problems(refused.problems)
        if refused.just_filled:
            self.waiting.data = "1"
