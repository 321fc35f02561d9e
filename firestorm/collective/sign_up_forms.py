"""The events desk's message to everyone signed up for a date; events/signing_up.py says what
is wrong with it."""

from wtforms import HiddenField, TextAreaField

from firestorm.events.signing_up import MESSAGE_MAX_LENGTH
from firestorm.web.forms import SiteForm


class SignUpMessageForm(SiteForm):
    # The date whose list is told: its start in UTC (events/wording.date_value).
    date = HiddenField()
    message = TextAreaField(
        "Your message", render_kw={"maxlength": MESSAGE_MAX_LENGTH, "rows": 6, "required": True}
    )
