"""The forms of a volunteer's review pages: choosing a book, and writing the review."""

from wtforms import Field, HiddenField, TextAreaField
from wtforms.validators import DataRequired, NumberRange
from wtforms.widgets import HiddenInput

from firestorm.database import LARGEST_ID
from firestorm.web.form_fields import SeenField, WholeNumberField
from firestorm.web.forms import SiteForm


class NewReviewForm(SiteForm):
    # A book's id from the picker; anything that isn't a number counts as no choice at all.
    book_id = WholeNumberField(
        "Choose the book",
        validators=[
            DataRequired("Choose the book you want to review."),
            # Beyond this no book exists, and the database could not even look one up.
            NumberRange(1, LARGEST_ID, "We couldn't find that book. Search for it again."),
        ],
    )
    # Optional: most people write on the review's own page, with the preview beside them.
    body = TextAreaField("Your review")
    # The search that found the choices, so a refused form comes back with them.
    q = HiddenField()

    # Where the error summary's words about the choice lead: the first book offered (set with
    # the choices), or the search box when none is.
    first_choice_id = "book-q"

    def summary_target(self, field: Field) -> str | None:
        if field is self.book_id:
            return self.first_choice_id
        # The picker has no box for the text: its words are said without a link.
        return None if field is self.body else super().summary_target(field)


class ReviewForm(SiteForm):
    body = TextAreaField("Your review", id="review-body")
    # The review's version when the page was drawn: saving over a newer one is refused.
    version = SeenField()
    # For the Preview button without JavaScript, which redraws this review's page.
    review_id = WholeNumberField(widget=HiddenInput())
