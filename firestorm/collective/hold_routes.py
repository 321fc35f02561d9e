"""The holds desk, /collective/holds: holds and orders by state, each moved on in place (ready for
pickup, collected, cancelled with a reason) with htmx, or through plain forms without it."""

from dataclasses import InitVar, dataclass, field
from datetime import datetime

from flask import abort, current_app, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from firestorm.collective import bp
from firestorm.collective.hold_forms import CancelHoldForm, HoldStepForm
from firestorm.holds import desk, finding, following
from firestorm.holds.models import Hold, HoldKind, HoldState
from firestorm.holds.pickup import copies
from firestorm.holds.ready_notice import Shop, ready_notice
from firestorm.outbox import failures, queue
from firestorm.pagination import page_number
from firestorm.web import clock, transaction
from firestorm.web.htmx import redirect_or_partial, render_page_or_partial
from firestorm.web.site_address import absolute_url, safe_next_path

PAGE = "collective/holds.html"
ONE_HOLD = "collective/hold.html"
ROW_UPDATE = "collective/_hold_row_update.html"
STATE_WORDS: dict[str, str] = {
    HoldState.NEW: "New",
    HoldState.READY: "Ready for pickup",
    HoldState.COLLECTED: "Collected",
    HoldState.CANCELLED: "Cancelled",
    HoldState.EXPIRED: "Expired",
}
FILTER_LABELS = {desk.OPEN: "Open", **STATE_WORDS}


@dataclass
class HoldRow:
    """One hold as templates/collective/_hold_row.html draws it, and what just happened to it."""

    hold: Hold
    # Where a plain post comes back to: the page the row is on.
    next_path: str
    # The cancel form as the member sent it, refused; None draws an empty one.
    sent_cancel_form: InitVar[CancelHoldForm | None] = None
    # What the member's step did, or why it was refused: said in the row, which takes focus.
    outcome: str = ""
    problem: str = ""
    cancel_form: CancelHoldForm = field(init=False)

    def __post_init__(self, sent_cancel_form: CancelHoldForm | None) -> None:
        if sent_cancel_form is None:
            sent_cancel_form = CancelHoldForm(self.hold.id, formdata=None)
        self.cancel_form = sent_cancel_form

    @property
    def state_words(self) -> str:
        return STATE_WORDS[HoldState(self.hold.state)]

    @property
    def is_order(self) -> bool:
        return self.hold.kind == HoldKind.ORDER

    @property
    def held_until(self) -> datetime | None:
        return desk.held_until(self.hold, current_app.config["HOLD_DAYS"])

    @property
    def is_overdue(self) -> bool:
        """Past its time but not expired yet: the daily purge expires it."""
        until = self.held_until
        return until is not None and until <= clock.current_time()

    @property
    def customer_gets_mail(self) -> bool:
        return queue.will_send(current_app.config, self.hold.customer_email)

    @property
    def cancel_refused(self) -> bool:
        return bool(self.cancel_form.reason.errors)


@bp.app_template_global()
def new_holds_count() -> int:
    """For the navigation's count, drawn for members on every page."""
    return desk.new_hold_count()


@bp.get("/holds", endpoint="holds")
def holds_page() -> ResponseReturnValue:
    """A list of holds by state (the open ones unless asked); or, with a search (?q=), the
    holds it finds in every state, or in the state chosen beside it."""
    searched = finding.search_text(
        request.args.get("q", ""), current_app.config["SEARCH_MAX_LENGTH"]
    )
    chosen = request.args.get("state") or ("" if searched else desk.OPEN)
    page = page_number(request.args.get("page"))
    per_page = current_app.config["HOLDS_PER_PAGE"]
    try:
        holds = finding.holds_listed(searched, chosen, page, per_page)
    except desk.UnknownFilter:
        context = {"filters": FILTER_LABELS, "chosen": None, "holds": None, "searched": searched}
        return render_template(PAGE, **context), 400
    here = this_page()
    rows = [HoldRow(hold, here) for hold in holds.items]
    return render_template(
        PAGE,
        filters=FILTER_LABELS,
        chosen=chosen,
        searched=searched,
        holds=holds,
        rows=rows,
        failed_mail=failures.failed_mail(),
        back=here,
    )


@bp.get("/holds/<id:hold_id>", endpoint="hold")
def hold_page(hold_id: int) -> ResponseReturnValue:
    return render_template(ONE_HOLD, row=HoldRow(hold_or_404(hold_id), this_page()))


@bp.post("/holds/<id:hold_id>/ready", endpoint="mark_hold_ready")
def mark_hold_ready(hold_id: int) -> ResponseReturnValue:
    form = HoldStepForm()
    now = clock.current_time()
    try:
        hold = desk.mark_ready(hold_id, current_user.id, now)
    except desk.DeskProblem as problem:
        return refused(hold_id, form, problem)
    except desk.HoldGone:
        abort(404)
    return moved(hold, form, f"Hold {hold.reference} is ready for pickup. {told(hold, now)}")


@bp.post("/holds/<id:hold_id>/collected", endpoint="mark_hold_collected")
def mark_hold_collected(hold_id: int) -> ResponseReturnValue:
    form = HoldStepForm()
    try:
        hold = desk.mark_collected(hold_id, current_user.id, clock.current_time())
    except desk.DeskProblem as problem:
        return refused(hold_id, form, problem)
    except desk.HoldGone:
        abort(404)
    if hold.kind == HoldKind.ORDER:
        stock_words = "An ordered book: the stock is unchanged."
    else:
        stock_words = f"{copies(hold.quantity)} taken off the stock of “{hold.title}”."
    return moved(hold, form, f"Hold {hold.reference} is collected. {stock_words}")


@bp.post("/holds/<id:hold_id>/cancel", endpoint="cancel_hold")
def cancel_hold(hold_id: int) -> ResponseReturnValue:
    form = CancelHoldForm(hold_id)
    try:
        hold = desk.cancel_hold(
            hold_id, current_user.id, form.reason.data or "", form.state.data, clock.current_time()
        )
    except desk.DeskProblem as problem:
        return refused(hold_id, form, problem)
    except desk.HoldGone:
        abort(404)
    return moved(hold, form, f"Hold {hold.reference} is cancelled.")


# --- Shared by the routes above ---------------------------------------------------------------


def this_page() -> str:
    return request.full_path.rstrip("?")


def hold_or_404(hold_id: int) -> Hold:
    hold = desk.hold_for_desk(hold_id)
    if hold is None:
        abort(404)
    return hold


def moved(hold: Hold, form: HoldStepForm, outcome: str) -> ResponseReturnValue:
    """After a step: back where the form was without JavaScript; with htmx, the row in its new
    state, the navigation's count and the flash message out of band."""
    flash(outcome, "success")
    back = safe_next_path(form.next.data) or url_for(".holds")
    return redirect_or_partial(
        back, lambda: render_template(ROW_UPDATE, row=HoldRow(hold, back, outcome=outcome))
    )


def refused(hold_id: int, form: HoldStepForm, problem: desk.DeskProblem) -> ResponseReturnValue:
    """The hold as it stands now, with why nothing was done; a typed reason is kept. 409 when
    someone else moved it first, 422 for what the member can put right."""
    transaction.discard_changes()
    hold = hold_or_404(hold_id)
    typed = (form.reason.data or "") if isinstance(form, CancelHoldForm) else ""
    back = safe_next_path(form.next.data) or url_for(".holds")
    row = HoldRow(hold, back, CancelHoldForm(hold_id, formdata=None, reason=typed))
    if problem.field:
        row.cancel_form.show_refusal(problem)
    else:
        row.problem = str(problem)
    status = 409 if isinstance(problem, desk.MovedMeanwhile) else 422
    return render_page_or_partial(ONE_HOLD, ROW_UPDATE, status, row=row)


def told(hold: Hold, now: datetime) -> str:
    """Put the email that the hold is ready in the outbox with the step, if the site sends mail
    and the customer gave an address: the words that say what the customer will hear. A mail
    that fails never undoes the step: the desk shows it."""
    config = current_app.config
    if not hold.customer_email:
        return "The customer gave no email address: call them to say so."
    if not queue.will_send(config, hold.customer_email):
        return "This site sends no mail: let the customer know."
    shop = Shop(
        config["STORE_NAME"], config["STORE_ADDRESS"], config["STORE_PHONE"], config["STORE_EMAIL"]
    )
    held_until = desk.held_until(hold, config["HOLD_DAYS"])
    if held_until is None:
        raise ValueError(f"Hold {hold.id} is not ready: there is nothing to tell its customer.")
    # The hold's own page, as the confirmation linked it, unless the link can't be made again.
    token = following.link_made_again(hold, config["SECRET_KEY"])
    notice = ready_notice(
        hold, hold.title, shop, clock.current_schedule(), now, held_until, with_link=bool(token)
    )
    queue.enqueue(
        config,
        hold.customer_email,
        notice.subject,
        notice.body,
        f"the ready email of hold {hold.reference}",
        now,
        link=absolute_url("public.hold_page", link_token=token) if token else None,
    )
    return "The customer will get an email saying where and until when to pick it up."
