"""Form fields shared by the blueprints' forms."""

import re

from wtforms import IntegerField
from wtforms.widgets import HiddenInput


class SeenField(IntegerField):
    """A hidden number saying what the page showed: a review's version, a submission's round.

    Anything but a number, or nothing at all, reads as 0, which no version or round ever is:
    a page that cannot say what it showed counts as out of date, never as "don't check".
    """

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        typed = valuelist[0] if valuelist else ""
        self.data = int(typed) if re.fullmatch(r"\d{1,9}", typed, re.ASCII) else 0
