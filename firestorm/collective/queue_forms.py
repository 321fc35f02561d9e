"""The forms of the approval queue: approve, or return with a note, one pair for each review."""

from typing import Any

from wtforms import TextAreaField

from firestorm.reviews.approvals import NOTE_MAX_LENGTH
from firestorm.reviews.models import Review
from firestorm.web.form_fields import SeenField
from firestorm.web.forms import SiteForm


class DecisionForm(SiteForm):
    """What every decision carries: the submission (its round) the member read."""

    decision = ""
    # Deciding on a submission other than the one read is refused: the author sent a new one.
    # Another member's approval is no reason to refuse: the text is the same.
    round = SeenField()

    def __init__(self, review: Review, **kwargs: Any) -> None:
        super().__init__(round=review.round, **kwargs)
        # One page holds both forms for every review: the names stay plain, the ids must not
        # repeat ("return-note-12").
        for form_field in self:
            form_field.id = f"{self.decision}-{form_field.name}-{review.id}"
            form_field.label.field_id = form_field.id


class ApproveForm(DecisionForm):
    decision = "approve"


class ReturnForm(DecisionForm):
    decision = "return"
    # Required by the domain too (approvals.return_review), which says so next to the field.
    note = TextAreaField(render_kw={"rows": 4, "maxlength": NOTE_MAX_LENGTH, "required": True})

    def __init__(self, review: Review, **kwargs: Any) -> None:
        super().__init__(review, **kwargs)
        self.note.label.text = f"Your note for {review.reviewer.display_name}"
