"""The hours editor, /collective/hours: the usual week, each weekday changed in place (htmx) or
through a plain form; the coming closures and changed hours, added, changed and removed after
asking."""

from collections.abc import Callable
from datetime import date
from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from firestorm.collective import bp
from firestorm.collective.hours_forms import SpecialHoursForm, WeekdayForm
from firestorm.pagination import page_number
from firestorm.people.accounts import who
from firestorm.shop import editing, hours
from firestorm.shop.models import SpecialHoursEntry
from firestorm.shop.schedule import as_special_hours
from firestorm.web import clock, transaction
from firestorm.web.htmx import page_or_partial, redirect_or_partial

PAGE = "collective/hours.html"
# What htmx gets for a weekday: its row, and the flash area, banner and header line as they
# are after the change.
ROW_UPDATE = "collective/_weekday_row_update.html"
SPECIAL_HOURS_PAGE = "collective/special_hours.html"
SPECIAL_HOURS_PER_PAGE = 20


@bp.get("/hours", endpoint="hours")
def hours_page() -> ResponseReturnValue:
    return editor_page()


# --- The usual week, one weekday at a time ----------------------------------------------------


@bp.get("/hours/weekdays/<int:weekday>", endpoint="weekday")
def weekday_row(weekday: int) -> ResponseReturnValue:
    """The weekday's row as the table shows it: what "Cancel" brings back in place."""
    check_weekday(weekday)
    return redirect_or_partial(weekday_anchor(weekday), lambda: weekday_row_update(weekday))


@bp.get("/hours/weekdays/<int:weekday>/edit", endpoint="edit_weekday")
def edit_weekday(weekday: int) -> ResponseReturnValue:
    """The weekday's form: in its row for htmx; without JavaScript, on the page, open."""
    check_weekday(weekday)
    form = WeekdayForm.of(weekday, clock.current_schedule())
    form.focus = form.state.id
    return page_or_partial(
        lambda: editor_page(weekday_form=form), lambda: weekday_row_update(weekday, form)
    )


@bp.post("/hours/weekdays/<int:weekday>", endpoint="set_weekday")
def set_weekday(weekday: int) -> ResponseReturnValue:
    check_weekday(weekday)
    form = WeekdayForm(weekday)
    try:
        editing.set_weekday(weekday, form.typed_hours(), form.note.data or "", who(current_user))
    except editing.HoursProblem as problem:
        transaction.discard_changes()
        form.show_refusal(problem)
        return page_or_partial(
            lambda: editor_page(weekday_form=form, status=422),
            lambda: weekday_row_update(weekday, form, status=422),
        )
    flash(f"Saved: {day_in_words(weekday)}.", "success")
    return redirect_or_partial(
        weekday_anchor(weekday), lambda: weekday_row_update(weekday, saved=True)
    )


def check_weekday(weekday: int) -> None:
    if weekday not in range(7):
        abort(404)


def weekday_anchor(weekday: int) -> str:
    """The weekday's row on the editor: where a plain request about it goes."""
    return url_for(".hours", _anchor=f"weekday-{weekday}")


def day_in_words(weekday: int) -> str:
    """ "Tuesdays 8am – 9pm (Kitchen closes at 8pm)", as the flash message says a saved day."""
    day = hours.usual_week(clock.current_schedule())[weekday]
    note = f" ({day.note})" if day.note else ""
    return f"{day.name}s {day.in_words}{note}"


def weekday_row_update(
    weekday: int, form: WeekdayForm | None = None, saved: bool = False, status: int = 200
) -> ResponseReturnValue:
    """The weekday's row for htmx (its form when given), with the flash area, the banner and
    the header's hours out of band: a change to today's hours changes them too."""
    day = hours.usual_week(clock.current_schedule())[weekday]
    return render_template(ROW_UPDATE, day=day, form=form, saved=saved), status


# --- Closures and changed hours on dates -------------------------------------------------------


@bp.post("/hours/special", endpoint="add_special_hours")
def add_special_hours() -> ResponseReturnValue:
    form = SpecialHoursForm()
    return special_hours_saved(
        form,
        editing.add_special_hours,
        "Added",
        refused_page=lambda: editor_page(special_hours_form=form, status=422),
    )


@bp.get("/hours/special/<id:special_hours_id>", endpoint="special_hours")
def special_hours_page(special_hours_id: int) -> ResponseReturnValue:
    special_hours = special_hours_or_404(special_hours_id)
    return render_template(
        SPECIAL_HOURS_PAGE, special_hours=special_hours, form=SpecialHoursForm.of(special_hours)
    )


@bp.post("/hours/special/<id:special_hours_id>", endpoint="change_special_hours")
def change_special_hours(special_hours_id: int) -> ResponseReturnValue:
    special_hours = special_hours_or_404(special_hours_id)
    form = SpecialHoursForm()
    return special_hours_saved(
        form,
        partial(editing.change_special_hours, special_hours),
        "Changed",
        # Drawn from the database again: the refused change was rolled back.
        refused_page=lambda: (
            render_template(
                SPECIAL_HOURS_PAGE, special_hours=special_hours_or_404(special_hours_id), form=form
            ),
            422,
        ),
    )


@bp.get("/hours/special/<id:special_hours_id>/remove", endpoint="confirm_remove_special_hours")
def confirm_remove_special_hours(special_hours_id: int) -> ResponseReturnValue:
    """Removing is asked first, on a page of its own; only its POST removes."""
    special_hours = special_hours_or_404(special_hours_id)
    return render_template(
        "collective/remove_special_hours.html",
        special_hours=special_hours,
        in_words=days_and_words(special_hours),
    )


@bp.post("/hours/special/<id:special_hours_id>/remove", endpoint="remove_special_hours")
def remove_special_hours(special_hours_id: int) -> ResponseReturnValue:
    special_hours = special_hours_or_404(special_hours_id)
    in_words = days_and_words(special_hours)
    editing.remove_special_hours(special_hours, who(current_user))
    flash(f"Removed: {in_words}. The usual hours apply on those days.", "success")
    return redirect(url_for(".hours"))


# --- Shared by the routes above ---------------------------------------------------------------


def special_hours_saved(
    form: SpecialHoursForm,
    save: Callable[[editing.TypedSpecialHours, date, str], SpecialHoursEntry],
    done: str,
    refused_page: Callable[[], ResponseReturnValue],
) -> ResponseReturnValue:
    """Add or change special hours as typed, then back to the editor saying what was `done`;
    refused, `refused_page()` with why next to the field."""
    try:
        special_hours = save(form.typed_special_hours(), clock.store_today(), who(current_user))
    except editing.HoursProblem as problem:
        transaction.discard_changes()
        form.show_refusal(problem)
        return refused_page()
    flash(f"{done}: {days_and_words(special_hours)}.", "success")
    return redirect(url_for(".hours"))


def special_hours_or_404(special_hours_id: int) -> SpecialHoursEntry:
    special_hours = editing.get_special_hours(special_hours_id)
    if special_hours is None:
        abort(404)
    return special_hours


def days_and_words(special_hours: SpecialHoursEntry) -> str:
    """ "Nov 26, 2026 — Closed: Thanksgiving", as the flash messages name special hours."""
    public = as_special_hours(special_hours)
    return f"{public.days_in_words} — {public.in_words}"


def editor_page(
    weekday_form: WeekdayForm | None = None,
    special_hours_form: SpecialHoursForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The whole editor; a weekday form, when given, is drawn open in its row."""
    today = clock.store_today()
    coming = editing.coming_special_hours(
        today, page_number(request.args.get("page")), SPECIAL_HOURS_PER_PAGE
    )
    page = render_template(
        PAGE,
        week=hours.usual_week(clock.current_schedule()),
        weekday_form=weekday_form,
        special_hours_form=special_hours_form or SpecialHoursForm(formdata=None),
        longest_special_hours_days=editing.LONGEST_SPECIAL_HOURS_DAYS,
        coming=coming,
        # Each with the words the public reads for it.
        described=[(row, as_special_hours(row)) for row in coming.items],
    )
    return page, status
