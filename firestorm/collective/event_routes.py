"""The events desk, /collective/events: the calendar (coming first, then past), adding and
changing an event (once it has started, only its description) with the books it is about
(found as a review's book is: the choices update as you type, or "Find books" redraws the
form as typed), cancelling it (kept, struck) and deleting it, each asked first on a page of
its own; a series' dates, each cancelled (asked first) or moved on its own."""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from firestorm.catalog import prices
from firestorm.collective import bp
from firestorm.collective.event_forms import EventForm, MoveDateForm
from firestorm.events import listings, planning, series
from firestorm.events.models import Event
from firestorm.pagination import page_number
from firestorm.search import choices, queries
from firestorm.web import clock, transaction
from firestorm.web.htmx import render_page_or_partial
from firestorm.web.templating import event_when, shop_money

LIST_PAGE = "collective/events.html"
FORM_PAGE = "collective/event_form.html"
EVENTS_PER_PAGE = 30
PICKER_LENGTH = 10


@bp.get("/events", endpoint="events")
def events_page() -> ResponseReturnValue:
    events = listings.desk_events(
        clock.current_time(), page_number(request.args.get("page")), EVENTS_PER_PAGE
    )
    return render_template(LIST_PAGE, events=events, now=clock.current_time())


@bp.get("/events/new", endpoint="new_event")
def new_event() -> ResponseReturnValue:
    return form_page(EventForm(formdata=None), None)


@bp.get("/events/book-choices", endpoint="event_book_choices")
def event_book_choices() -> ResponseReturnValue:
    """The picker's books for what was typed, the ticked ones kept: htmx's answer as you
    type; a new event's form with them for a page asked for in full."""
    form = EventForm(formdata=request.args)
    return render_page_or_partial(
        FORM_PAGE,
        "collective/_event_book_choices_update.html",
        **form_context(form, None),
    )


@bp.post("/events", endpoint="add_event")
def add_event() -> ResponseReturnValue:
    form = EventForm()
    if "find_books" in request.form:
        return form_page(form, None)
    if not form.validate_on_submit():
        return form_page(form, None, 422)
    try:
        typed = form.typed_event(shop_money())
        event = planning.add_event(typed, clock.current_schedule(), clock.current_time())
    except (planning.EventProblem, prices.PriceProblem) as problem:
        return refused(form, None, problem)
    flash(f"Added “{event.title}”: the public sees it on /events.", "success")
    return redirect(url_for(".events"))


@bp.get("/events/<id:event_id>", endpoint="event")
def edit_event(event_id: int) -> ResponseReturnValue:
    event = event_or_404(event_id)
    form = EventForm.of(event, shop_money(), clock.store_timezone())
    return form_page(form, event)


@bp.post("/events/<id:event_id>", endpoint="change_event")
def change_event(event_id: int) -> ResponseReturnValue:
    event = event_or_404(event_id)
    form = EventForm()
    if "find_books" in request.form:
        return form_page(form, event)
    if not form.validate_on_submit():
        return form_page(form, event, 422)
    now = clock.current_time()
    try:
        if event.has_started(now):
            planning.change_description(event, form.description.data or "", now)
        else:
            typed = form.typed_event(shop_money())
            planning.change_event(event, typed, clock.current_schedule(), now)
    except (planning.EventProblem, prices.PriceProblem) as problem:
        return refused(form, event_id, problem)
    flash(f"Saved “{event.title}”.", "success")
    return redirect(url_for(".events"))


@bp.get("/events/<id:event_id>/cancel", endpoint="confirm_cancel_event")
def confirm_cancel_event(event_id: int) -> ResponseReturnValue:
    """Cancelling is asked first, on a page of its own; only its POST cancels."""
    return render_template("collective/cancel_event.html", event=event_or_404(event_id))


@bp.post("/events/<id:event_id>/cancel", endpoint="cancel_event")
def cancel_event(event_id: int) -> ResponseReturnValue:
    event = planning.cancel_event(event_or_404(event_id), clock.current_time())
    flash(f"Cancelled “{event.title}”: its page says so, struck, and stays.", "success")
    return redirect(url_for(".events"))


@bp.get("/events/<id:event_id>/delete", endpoint="confirm_delete_event")
def confirm_delete_event(event_id: int) -> ResponseReturnValue:
    """Deleting is asked first, on a page of its own; only its POST deletes."""
    return render_template("collective/delete_event.html", event=event_or_404(event_id))


@bp.post("/events/<id:event_id>/delete", endpoint="delete_event")
def delete_event(event_id: int) -> ResponseReturnValue:
    event = event_or_404(event_id)
    title = event.title
    planning.delete_event(event)
    flash(f"Deleted “{title}”: it is gone from the site.", "success")
    return redirect(url_for(".events"))


@bp.get("/events/<id:event_id>/dates", endpoint="event_dates")
def event_dates(event_id: int) -> ResponseReturnValue:
    """A series' dates, each with its own cancel and move; a single event has none."""
    event = event_or_404(event_id)
    if not event.repeat:
        abort(404)
    return render_template(
        "collective/event_dates.html",
        event=event,
        dates=series.event_dates(event, clock.store_timezone()),
        now=clock.current_time(),
    )


@bp.get("/events/<id:event_id>/dates/<day>/cancel", endpoint="confirm_cancel_date")
def confirm_cancel_date(event_id: int, day: str) -> ResponseReturnValue:
    """Cancelling one date is asked first, on a page of its own; only its POST cancels."""
    return render_template("collective/cancel_date.html", date=date_or_404(event_id, day))


@bp.post("/events/<id:event_id>/dates/<day>/cancel", endpoint="cancel_date")
def cancel_date(event_id: int, day: str) -> ResponseReturnValue:
    event_date = date_or_404(event_id, day)
    try:
        planning.cancel_date(event_date, clock.current_time())
    except planning.EventProblem as problem:
        flash(str(problem), "error")
    else:
        flash(
            f"Cancelled “{event_date.title}” on {event_when(event_date)}: it stays on the "
            "site, struck.",
            "success",
        )
    return redirect(url_for(".event_dates", event_id=event_id))


@bp.get("/events/<id:event_id>/dates/<day>/move", endpoint="move_date_form")
def move_date_form(event_id: int, day: str) -> ResponseReturnValue:
    event_date = date_or_404(event_id, day)
    form = MoveDateForm.of(event_date, clock.store_timezone())
    return move_page(form, event_date, day)


@bp.post("/events/<id:event_id>/dates/<day>/move", endpoint="move_date")
def move_date(event_id: int, day: str) -> ResponseReturnValue:
    event_date = date_or_404(event_id, day)
    form = MoveDateForm()
    if not form.validate_on_submit():
        return move_page(form, event_date, day, 422)
    try:
        moved = planning.move_date(
            event_date,
            form.day.data,
            form.starts.data,
            form.ends.data,
            clock.current_schedule(),
            clock.current_time(),
        )
    except planning.EventProblem as problem:
        transaction.discard_changes()
        form.show_refusal(problem)
        return move_page(form, date_or_404(event_id, day), day, 422)
    flash(f"Moved that date of “{event_date.title}” to {event_when(moved)}.", "success")
    return redirect(url_for(".event_dates", event_id=event_id))


def move_page(
    form: MoveDateForm, event_date: series.EventDate, day: str, status: int = 200
) -> ResponseReturnValue:
    return render_template("collective/move_date.html", form=form, date=event_date, day=day), status


def date_or_404(event_id: int, day: str) -> series.EventDate:
    """The date of the series that falls on `day` (2027-01-12, before any move), or 404; a
    single event's date is the event itself, cancelled and changed as such."""
    event = event_or_404(event_id)
    if not event.repeat:
        abort(404)
    try:
        series_day = date.fromisoformat(day) if len(day) == 10 else None
    except ValueError:
        series_day = None
    found = series_day and series.date_on(event, series_day, clock.store_timezone())
    if not found:
        abort(404)
    return found


def event_or_404(event_id: int) -> Event:
    event = planning.get_event(event_id)
    if event is None:
        abort(404)
    return event


def refused(
    form: EventForm, event_id: int | None, problem: planning.EventProblem | prices.PriceProblem
) -> ResponseReturnValue:
    """The form again as typed, the refusal beside its field; the event (when changing one)
    drawn from the database again: the refused change was rolled back."""
    transaction.discard_changes()
    form.show_refusal(problem)
    return form_page(form, event_or_404(event_id) if event_id else None, 422)


def form_page(form: EventForm, event: Event | None, status: int = 200) -> ResponseReturnValue:
    return render_template(FORM_PAGE, **form_context(form, event)), status


def form_context(form: EventForm, event: Event | None) -> dict:
    """What the form's page draws: the event's fields, and the picker's ticked books (those
    it can still offer) and what its search found."""
    query = queries.CatalogQuery.from_args(
        {"q": form.q.data or ""}, current_app.config["SEARCH_MAX_LENGTH"]
    )
    linked_books = choices.chosen_books(form.chosen_book_ids())
    return {
        "form": form,
        "event": event,
        "started": event is not None and event.has_started(clock.current_time()),
        "price_example": shop_money().example(),
        "query": query,
        "choices": choices.first_found(query, PICKER_LENGTH),
        "linked_books": linked_books,
        "linked_ids": {book.id for book in linked_books},
    }
