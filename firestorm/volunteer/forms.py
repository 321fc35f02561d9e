"""The forms of a volunteer's review pages: choosing a book, and writing the review."""

import re

from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, NumberRange
from wtforms.widgets import HiddenInput

from firestorm.database import LARGEST_ID
from firestorm.web.form_fields import SeenField
from firestorm.web.forms import SiteForm


class ChosenBookField(IntegerField):
    """A book's id from the picker; anything that isn't one counts as no choice at all."""

    def process_formdata(self, valuelist):
        typed = valuelist[0] if valuelist else ""
        self.data = int(typed) if re.fullmatch(r"\d{1,18}", typed, re.ASCII) else None


class NewReviewForm(SiteForm):
    book_id = ChosenBookField(
        "Choose the book",
        validators=[
            DataRequired("Choose the book you want to review."),
            # Beyond this no book exists, and the database could not even look one up.
            NumberRange(max=LARGEST_ID, message="We couldn't find that book. Search for it again."),
        ],
    )
    # Optional: most people write on the review's own page, with the preview beside them.
    body = TextAreaField("Your review")
    # The search that found the choices, so a refused form comes back with them.
    q = HiddenField()


class ReviewForm(SiteForm):
    body = TextAreaField("Your review", id="review-body")
    # The review's version when the page was drawn: saving over a newer one is refused.
    version = SeenField()
    # For the Preview button without JavaScript, which redraws this review's page.
    review_id = IntegerField(widget=HiddenInput())
