"""The events desk's sign-up lists, /collective/events/<id>/signed-up: for each date, who is
signed up and who waits, with their contacts (collective members alone see them), printable;
and a message to everyone signed up for a date, one email each through the outbox."""

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from firestorm.collective import bp
from firestorm.collective.sign_up_forms import SignUpMessageForm
from firestorm.events import signing_up
from firestorm.events.models import Event
from firestorm.events.wording import date_value
from firestorm.outbox import queue
from firestorm.web import clock, transaction


@bp.get("/events/<id:event_id>/signed-up", endpoint="event_sign_ups")
def sign_up_lists(event_id: int) -> ResponseReturnValue:
    event = event_with_places(event_id)
    return render_template(
        "collective/event_sign_ups.html",
        event=event,
        lists=signing_up.desk_lists(event, clock.store_timezone()),
    )


@bp.get("/events/<id:event_id>/signed-up/message", endpoint="sign_up_message_form")
def message_form(event_id: int) -> ResponseReturnValue:
    event, starts_at = date_or_404(event_id, request.args.get("date"))
    form = SignUpMessageForm(formdata=None, date=date_value(starts_at))
    return message_page(event, starts_at, form)


@bp.post("/events/<id:event_id>/signed-up/message", endpoint="message_sign_ups")
def message_sign_ups(event_id: int) -> ResponseReturnValue:
    form = SignUpMessageForm()
    event, starts_at = date_or_404(event_id, form.date.data)
    try:
        message = signing_up.checked_message(form.message.data or "")
    except signing_up.MessageRefused as refused:
        transaction.discard_changes()
        form.show_refusal(refused)
        return message_page(event, starts_at, form, 422)
    config = current_app.config
    emailed, to_call = 0, []
    for signed in signing_up.signed_up_list(event.id, starts_at):
        if queue.will_send(config, signed.customer_email):
            queue.enqueue(
                config,
                to=signed.customer_email,
                subject=f"{event.title} at {config['STORE_NAME']}: a change",
                body=render_template(
                    "collective/sign_up_message.txt",
                    event=event,
                    starts_at=starts_at,
                    message=message,
                ),
                about=f"a message to event sign-up {signed.id}",
                now=clock.current_time(),
            )
            emailed += 1
        else:
            to_call.append(signed.customer_name or "someone")
    flash(told_in_words(emailed, to_call), "success")
    return redirect(url_for(".event_sign_ups", event_id=event.id))


def told_in_words(emailed: int, to_call: list[str]) -> str:
    """ "Emailed 3 people. Tell these yourself (no email, or the site sends none): Robin."""
    said = f"Emailed {'1 person' if emailed == 1 else f'{emailed} people'}."
    if to_call:
        said += f" Tell these yourself (no email, or the site sends none): {', '.join(to_call)}."
    return said


def event_with_places(event_id: int) -> Event:
    """The event, when it takes sign-ups (it has a number of places); 404 otherwise."""
    return date_or_404(event_id, None)[0]


def date_or_404(event_id: int, date: str | None) -> tuple[Event, datetime]:
    try:
        return signing_up.event_date(event_id, date, clock.store_timezone())
    except (signing_up.NoSuchDate, signing_up.TakesNoSignUps):
        abort(404)


def message_page(
    event: Event, starts_at: datetime, form: SignUpMessageForm, status: int = 200
) -> ResponseReturnValue:
    signed_up = signing_up.signed_up_list(event.id, starts_at)
    page = render_template(
        "collective/sign_up_message.html",
        event=event,
        starts_at=starts_at,
        form=form,
        signed_up=signed_up,
    )
    return page, status
