"""The forms of the approval queue: approve, or return with a note, one pair for each review."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.widgets import HiddenInput

from firestorm.reviews.approvals import NOTE_MAX_LENGTH
from firestorm.reviews.models import Review


class DecisionForm(FlaskForm):
    """What every decision carries: the review's version when its row was drawn."""

    decision = ""
    # Deciding on a newer version than the one read is refused: someone acted meanwhile.
    version = IntegerField(widget=HiddenInput())

    def __init__(self, review: Review, **kwargs):
        super().__init__(version=review.version, **kwargs)
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

    def __init__(self, review: Review, **kwargs):
        super().__init__(review, **kwargs)
        self.note.label.text = f"Your note for {review.reviewer.display_name}"
