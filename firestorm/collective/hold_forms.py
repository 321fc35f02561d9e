"""The holds desk's forms: a step on a hold (ready, collected), and cancelling it with a reason."""

from typing import Any

from wtforms import HiddenField, StringField

from firestorm.holds.desk import REASON_MAX_LENGTH
from firestorm.web.forms import SiteForm


class HoldStepForm(SiteForm):
    """What every step sends besides its CSRF token, which the row carries (CSRFProtect checks
    every POST before the view): where a plain post comes back to."""

    class Meta:
        csrf = False

    next = HiddenField()


class CancelHoldForm(HoldStepForm):
    # The state the member saw (new or ready): cancelling something that moved meanwhile is
    # refused, so nobody cancels a hold a customer is collecting at the counter.
    state = HiddenField()
    # Required by the domain too (desk.cancel_hold), which says so next to the field.
    reason = StringField(
        "Why is it cancelled?",
        render_kw={"maxlength": REASON_MAX_LENGTH, "required": True, "autocomplete": "off"},
    )

    def __init__(self, hold_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # One page holds a cancel form for every open hold: the ids must not repeat.
        self.reason.id = f"cancel-reason-{hold_id}"
        self.reason.label.field_id = self.reason.id
