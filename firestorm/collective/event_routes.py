"""The events desk, /collective/events: the calendar (coming first, then past), adding and
changing an event (once it has started, only its description) with the books it is about
(found as a review's book is: the choices update as you type, or "Find books" redraws the
form as typed), cancelling it (kept, struck) and deleting it, each asked first on a page of
its own."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from firestorm.catalog import prices
from firestorm.collective import bp
from firestorm.collective.event_forms import EventForm
from firestorm.events import listings, planning
from firestorm.events.models import Event
from firestorm.pagination import page_number
from firestorm.search import choices, queries
from firestorm.web import clock, transaction
from firestorm.web.htmx import render_page_or_partial
from firestorm.web.templating import shop_money

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
