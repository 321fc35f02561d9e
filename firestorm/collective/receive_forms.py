"""Receiving a delivery: the scan form (one ISBN per post; a barcode scanner types the digits
and presses Enter)."""

from wtforms import StringField

from firestorm.web.forms import SiteForm


class ScanForm(SiteForm):
    isbn = StringField(
        "ISBN",
        render_kw={
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": 40,
            "enterkeyhint": "send",
        },
    )
