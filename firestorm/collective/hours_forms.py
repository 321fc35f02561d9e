"""The hours editor's forms: one weekday's usual hours, and special hours (a closure or
changed hours). They only read what was typed; shop/editing.py says what is wrong with it."""

from typing import Any

from wtforms import DateField, Field, RadioField, StringField, TimeField

# types-WTForms 3.2 lacks SelectChoice, which WTForms 3.2 added.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from firestorm.refusals import Refusal
from firestorm.shop import hours
from firestorm.shop.editing import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, TypedHours, TypedSpecialHours
from firestorm.shop.models import SpecialHoursEntry
from firestorm.web.forms import SiteForm


class ClockField(TimeField):
    """A time as browsers send it (17:30, or 17:30:00); anything else reads as None. Drawn
    again, a value that is not a time is left out: a time input could not show it, and its
    value would be invalid HTML."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, format=["%H:%M", "%H:%M:%S"], **kwargs)

    def _value(self) -> str:
        if self.raw_data and self.data is None:
            return ""
        return super()._value()  # type: ignore[misc]  # Field._value: not in types-WTForms


class DayField(DateField):
    """A date as browsers send it (2026-11-26); anything else reads as None, drawn empty."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        # Keywords as WTForms 3.3 takes them (invalid_value_message: not in types-WTForms).
        super().__init__(label, **kwargs)

    def _value(self) -> str:
        if self.raw_data and self.data is None:
            return ""
        return super()._value()  # type: ignore[misc]  # Field._value: not in types-WTForms


def open_or_closed(label: str, open_label: str, closed_label: str, default: str) -> RadioField:
    return RadioField(
        label,
        choices=[SelectChoice("open", open_label), SelectChoice("closed", closed_label)],
        default=default,
    )


class HoursFields(SiteForm):
    """Open or closed, and the times: what a weekday and special hours share."""

    class Meta:
        # CSRFProtect checks every POST before the view; the templates carry the token.
        csrf = False

    # The id of the field that takes focus when the form is drawn (the one refused).
    focus = ""

    def show_refusal(self, refusal: Refusal, field: str | None = None) -> Field | None:
        """Beside its field, which takes focus; or above the form."""
        shown_beside = super().show_refusal(refusal, field)
        if shown_beside is not None:
            self.focus = shown_beside.id
        return shown_beside

    def typed_hours(self) -> TypedHours:
        return TypedHours(
            is_open=self.state.data == "open", opens=self.opens.data, closes=self.closes.data
        )


class WeekdayForm(HoursFields):
    """One weekday's row in the week table. Seven of them share a page: the names stay
    plain, the ids carry the weekday ("weekday-1-opens")."""

    state = open_or_closed("Open or closed", "Open", "Closed all day", "open")
    opens = ClockField("Opens at")
    closes = ClockField("Closes at")
    note = StringField(
        "Note for the public (optional)",
        render_kw={"maxlength": NOTE_MAX_LENGTH, "autocomplete": "off"},
    )

    def __init__(self, weekday: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.weekday = weekday
        for form_field in self:
            form_field.id = f"weekday-{weekday}-{form_field.name}"
            form_field.label.field_id = form_field.id

    @classmethod
    def of(cls, weekday: int, schedule: hours.Schedule) -> "WeekdayForm":
        """The form as it opens: the weekday's hours and note as they are."""
        usual = schedule.week[weekday]
        return cls(
            weekday,
            formdata=None,
            state="open" if usual else "closed",
            opens=usual.opens if usual else None,
            closes=usual.closes if usual else None,
            note=schedule.notes[weekday],
        )

    @property
    def weekday_name(self) -> str:
        return hours.WEEKDAY_NAMES[self.weekday]


class SpecialHoursForm(HoursFields):
    """A closure or changed hours for one day or a range: adding one, or changing one."""

    first_day = DayField("First day")
    last_day = DayField("Last day (leave empty for one day)")
    state = open_or_closed("On those days", "Open at other hours", "Closed all day", "closed")
    opens = ClockField("Opens at")
    closes = ClockField("Closes at")
    reason = StringField(
        "Reason, shown to the public",
        render_kw={"maxlength": REASON_MAX_LENGTH, "autocomplete": "off", "required": True},
    )

    @classmethod
    def of(cls, special_hours: SpecialHoursEntry) -> "SpecialHoursForm":
        """The form as it opens to change special hours: as it is now."""
        return cls(
            formdata=None,
            first_day=special_hours.first_day,
            last_day=None
            if special_hours.last_day == special_hours.first_day
            else special_hours.last_day,
            state="closed" if special_hours.opens is None else "open",
            opens=special_hours.opens,
            closes=special_hours.closes,
            reason=special_hours.reason,
        )

    def typed_special_hours(self) -> TypedSpecialHours:
        return TypedSpecialHours(
            first_day=self.first_day.data,
            last_day=self.last_day.data,
            hours=self.typed_hours(),
            reason=self.reason.data or "",
        )
