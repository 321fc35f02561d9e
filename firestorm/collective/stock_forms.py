"""The stock controls' form: a +1 or −1 button, or "set to N" with a reason, for one book."""

from typing import Any

from wtforms import HiddenField, StringField

from firestorm.catalog.stock import REASON_MAX_LENGTH
from firestorm.web.form_fields import WholeNumberField
from firestorm.web.forms import SiteForm


class StockForm(SiteForm):
    """What the controls send. A button sends `step` (1 or -1); the count form sends `count`
    and `reason`. Anything that is not a whole number reads as None, which catalog/stock.py
    refuses in words; what was typed is drawn again as typed."""

    class Meta:
        # CSRFProtect checks every POST before the view; the partial carries the token.
        csrf = False

    step = WholeNumberField()
    count = WholeNumberField(
        "Set the stock to",
        render_kw={
            "inputmode": "numeric",
            "pattern": "[0-9]*",
            "autocomplete": "off",
            "required": True,
            "size": 6,
        },
    )
    reason = StringField(
        "Reason",
        render_kw={"maxlength": REASON_MAX_LENGTH, "required": True, "autocomplete": "off"},
    )
    # Where a plain post goes back to: the page the controls were drawn on.
    next = HiddenField()

    def __init__(self, book_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # A page may hold the controls of many books (the books list): the names stay plain,
        # the ids must not repeat ("stock-count-12").
        for form_field in self:
            form_field.id = f"stock-{form_field.name}-{book_id}"
            form_field.label.field_id = form_field.id

    @property
    def is_one_copy(self) -> bool:
        """A +1 or −1 button was pressed (whatever value came with it)."""
        return bool(self.step.raw_data)
