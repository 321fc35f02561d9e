"""The hours editor, /collective/hours: the usual week, each weekday changed in place (htmx) or
through a plain form; the coming closures and changed hours, added, changed and removed after
asking."""

from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from firestorm.collective import bp
from firestorm.collective.hours_forms import ExceptionForm, WeekdayForm
from firestorm.pagination import page_number
from firestorm.people.accounts import who
from firestorm.shop import editing, hours
from firestorm.shop.models import Closure
from firestorm.shop.schedule import dated_exception
from firestorm.web import clock, transaction
from firestorm.web.htmx import page_or_partial, redirect_or_partial

PAGE = "collective/hours.html"
# What htmx gets for a weekday: its row, and the flash area, banner and header line as they
# are after the change.
ROW_UPDATE = "collective/_weekday_row_update.html"
EXCEPTION_PAGE = "collective/hours_exception.html"
EXCEPTIONS_PER_PAGE = 20


@bp.get("/hours", endpoint="hours")
def hours_page():
    return editor_page()


# --- The usual week, one weekday at a time ----------------------------------------------------


@bp.get("/hours/weekdays/<int:weekday>", endpoint="weekday")
def weekday_row(weekday: int):
    """The weekday's row as the table shows it: what "Cancel" brings back in place."""
    check_weekday(weekday)
    return redirect_or_partial(weekday_anchor(weekday), lambda: weekday_row_update(weekday))


@bp.get("/hours/weekdays/<int:weekday>/edit", endpoint="edit_weekday")
def edit_weekday(weekday: int):
    """The weekday's form: in its row for htmx; without JavaScript, on the page, open."""
    check_weekday(weekday)
    form = WeekdayForm.of(weekday, clock.current_schedule())
    form.focus = form.state.id
    return page_or_partial(
        lambda: editor_page(weekday_form=form), lambda: weekday_row_update(weekday, form)
    )


@bp.post("/hours/weekdays/<int:weekday>", endpoint="set_weekday")
def set_weekday(weekday: int):
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
):
    """The weekday's row for htmx (its form when given), with the flash area, the banner and
    the header's hours out of band: a change to today's hours changes them too."""
    day = hours.usual_week(clock.current_schedule())[weekday]
    return render_template(ROW_UPDATE, day=day, form=form, saved=saved), status


# --- Closures and changed hours on dates -------------------------------------------------------


@bp.post("/hours/exceptions", endpoint="add_exception")
def add_exception():
    form = ExceptionForm()
    return exception_saved(
        form,
        editing.add_exception,
        "Added",
        refused_page=lambda: editor_page(exception_form=form, status=422),
    )


@bp.get("/hours/exceptions/<id:exception_id>", endpoint="exception")
def exception_page(exception_id: int):
    exception = exception_or_404(exception_id)
    return render_template(EXCEPTION_PAGE, exception=exception, form=ExceptionForm.of(exception))


@bp.post("/hours/exceptions/<id:exception_id>", endpoint="change_exception")
def change_exception(exception_id: int):
    exception = exception_or_404(exception_id)
    form = ExceptionForm()
    return exception_saved(
        form,
        partial(editing.change_exception, exception),
        "Changed",
        # Drawn from the database again: the refused change was rolled back.
        refused_page=lambda: (
            render_template(EXCEPTION_PAGE, exception=exception_or_404(exception_id), form=form),
            422,
        ),
    )


@bp.get("/hours/exceptions/<id:exception_id>/remove", endpoint="confirm_remove_exception")
def confirm_remove_exception(exception_id: int):
    """Removing is asked first, on a page of its own; only its POST removes."""
    exception = exception_or_404(exception_id)
    return render_template(
        "collective/remove_exception.html",
        exception=exception,
        in_words=days_and_words(exception),
    )


@bp.post("/hours/exceptions/<id:exception_id>/remove", endpoint="remove_exception")
def remove_exception(exception_id: int):
    exception = exception_or_404(exception_id)
    in_words = days_and_words(exception)
    editing.remove_exception(exception, who(current_user))
    flash(f"Removed: {in_words}. The usual hours apply on those days.", "success")
    return redirect(url_for(".hours"))


# --- Shared by the routes above ---------------------------------------------------------------


def exception_saved(form: ExceptionForm, save, done: str, refused_page):
    """Add or change an exception as typed, then back to the editor saying what was `done`;
    refused, `refused_page()` with why next to the field."""
    try:
        exception = save(form.typed_exception(), clock.store_today(), who(current_user))
    except editing.HoursProblem as problem:
        transaction.discard_changes()
        form.show_refusal(problem)
        return refused_page()
    flash(f"{done}: {days_and_words(exception)}.", "success")
    return redirect(url_for(".hours"))


def exception_or_404(exception_id: int) -> Closure:
    exception = editing.get_exception(exception_id)
    if exception is None:
        abort(404)
    return exception


def days_and_words(exception: Closure) -> str:
    """ "Nov 26, 2026 — Closed: Thanksgiving", as the flash messages name an exception."""
    public = dated_exception(exception)
    return f"{public.days_in_words} — {public.in_words}"


def editor_page(
    weekday_form: WeekdayForm | None = None,
    exception_form: ExceptionForm | None = None,
    status: int = 200,
):
    """The whole editor; a weekday form, when given, is drawn open in its row."""
    today = clock.store_today()
    exceptions = editing.coming_exceptions(
        today, page_number(request.args.get("page")), EXCEPTIONS_PER_PAGE
    )
    page = render_template(
        PAGE,
        week=hours.usual_week(clock.current_schedule()),
        weekday_form=weekday_form,
        exception_form=exception_form or ExceptionForm(formdata=None),
        longest_exception_days=editing.LONGEST_EXCEPTION_DAYS,
        exceptions=exceptions,
        # Each with the words the public reads for it.
        described=[(row, dated_exception(row)) for row in exceptions.items],
    )
    return page, status
