"""The events desk's form: it only reads what was typed; events/planning.py says what is wrong
with it."""

from decimal import Decimal
from zoneinfo import ZoneInfo

from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

# types-WTForms 3.2 lacks SelectChoice, which WTForms 3.2 added.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import Optional

from firestorm import typed_text
from firestorm.catalog import prices
from firestorm.collective.hours_forms import ClockField, DayField
from firestorm.events import series
from firestorm.events.models import Event
from firestorm.events.planning import (
    DESCRIPTION_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TypedEvent,
)
from firestorm.web.form_fields import WholeNumberField
from firestorm.web.forms import SiteForm

# Any other value reads as typed: events/planning.py refuses it in words.
REPEAT_CHOICES = [
    SelectChoice("", "Does not repeat"),
    SelectChoice(series.WEEKLY, "Every week, on the same weekday"),
    SelectChoice(series.MONTHLY, "Every month, on the same weekday (like the second Tuesday)"),
    SelectChoice(
        series.MONTHLY_LAST, "Every month, on the last of that weekday (like the last Friday)"
    ),
]
CAPACITY_RULE = "Give the number of places as a whole number, like 20, or leave it empty."


class EventForm(SiteForm):
    title = StringField("Title", render_kw={"maxlength": TITLE_MAX_LENGTH, "required": True})
    day = DayField("Day")
    starts = ClockField("Starts at")
    ends = ClockField("Ends at")
    repeat = SelectField("Repeats", choices=REPEAT_CHOICES, default="", validate_choice=False)
    # Empty is no end (planning.py refuses a repeat without one); anything else not a date
    # is refused here.
    repeat_until = DayField(
        "Repeats until",
        validators=[Optional()],
        invalid_value_message="Give the last day as a date, like 2027-06-30.",
    )
    opens_specially = BooleanField("We open for it (on a day the shop is closed)")
    place = StringField("Place", render_kw={"maxlength": PLACE_MAX_LENGTH})
    # Text, read the locale's way (catalog/prices.py): a refused "12,5" comes back as typed.
    price = StringField(
        "Price", render_kw={"inputmode": "decimal", "autocomplete": "off", "size": 12}
    )
    capacity = WholeNumberField(
        "Places (optional)",
        invalid_value_message=CAPACITY_RULE,
        validators=[Optional()],
        render_kw={"inputmode": "numeric", "size": 8},
    )
    description = TextAreaField(
        "Description", render_kw={"rows": 8, "maxlength": DESCRIPTION_MAX_LENGTH}
    )
    # The picker's ticked books (their ids as sent: events/planning.py refuses one that is
    # no book it could offer) and the search that found them, kept when the form comes back.
    book_ids = SelectMultipleField("Books", validate_choice=False)
    q = HiddenField()

    def summary_target(self, field: Field) -> str | None:
        # The books are boxes the picker draws: the summary leads to its search.
        return "book-q" if field is self.book_ids else super().summary_target(field)

    def chosen_book_ids(self) -> tuple[int, ...]:
        """The ticked books' ids; anything sent that is no id reads 0, which no book has."""
        return tuple(typed_text.whole_number(str(value)) or 0 for value in self.book_ids.data or [])

    @classmethod
    def of(cls, event: Event, money: prices.Money, timezone: ZoneInfo) -> "EventForm":
        """The form as it opens to change an event: as it is now, in the shop's time."""
        local_start = event.starts_at.astimezone(timezone)
        local_end = event.ends_at.astimezone(timezone)
        return cls(
            formdata=None,
            title=event.title,
            day=local_start.date(),
            starts=local_start.time(),
            ends=local_end.time(),
            repeat=event.repeat,
            repeat_until=event.repeat_until,
            opens_specially=event.opens_specially,
            place=event.place,
            price=money.number(event.price) if event.price else "",
            capacity=event.capacity,
            description=event.description,
            book_ids=[str(book.id) for book in event.books],
        )

    def typed_event(self, money: prices.Money) -> TypedEvent:
        """The event as typed; PriceProblem for a price that can't be read (empty is free)."""
        return TypedEvent(
            title=self.title.data or "",
            day=self.day.data,
            starts=self.starts.data,
            ends=self.ends.data,
            description=self.description.data or "",
            place=self.place.data or "",
            price=prices.read_price(self.price.data, money) or Decimal(0),
            capacity=self.capacity.data,
            opens_specially=bool(self.opens_specially.data),
            book_ids=self.chosen_book_ids(),
            repeat=self.repeat.data or "",
            repeat_until=self.repeat_until.data,
        )


class MoveDateForm(SiteForm):
    """One date of a series at another day or time."""

    day = DayField("Day", invalid_value_message="Give the day, like 2026-12-10.")
    starts = ClockField("Starts at", invalid_value_message="Give the time it starts, like 19:00.")
    ends = ClockField("Ends at", invalid_value_message="Give the time it ends, like 21:00.")

    @classmethod
    def of(cls, event_date: series.EventDate, timezone: ZoneInfo) -> "MoveDateForm":
        local_start = event_date.starts_at.astimezone(timezone)
        return cls(
            formdata=None,
            day=local_start.date(),
            starts=local_start.time(),
            ends=event_date.ends_at.astimezone(timezone).time(),
        )
