"""Form fields shared by the blueprints' forms."""

from typing import Any

from wtforms import IntegerField
from wtforms.widgets import HiddenInput, TextInput

from firestorm.typed_text import whole_number


class WholeNumberField(IntegerField):
    """Every number a form reads: a copy count, an id, a version. Read by
    typed_text.whole_number (ASCII digits, perhaps a sign, spaces around; at most `digits`);
    anything else, or nothing sent, reads as None, which the rules refuse in words, and is
    drawn again as it was typed. With `invalid_value_message`, something typed that is not a
    number is also the field's own error when the form is validated.

    A text input by default: a refused "two" must come back as typed, which a number input
    cannot hold."""

    widget: TextInput | HiddenInput = TextInput()

    def __init__(
        self,
        label: str | None = None,
        validators: list[Any] | tuple[Any, ...] | None = None,
        digits: int = 18,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.digits = digits

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = whole_number(valuelist[0] if valuelist else None, self.digits)
        # types-WTForms 3.2 predates the field's invalid_value_message (WTForms 3.3).
        message = self.invalid_value_message  # type: ignore[attr-defined]
        if self.data is None and valuelist and message:
            raise ValueError(message)


class SeenField(WholeNumberField):
    """A hidden number saying what the page showed: a review's version, a submission's round.

    Anything but a number, or nothing at all, reads as 0, which (like any number below 1) no
    version or round ever is: a page that cannot say what it showed counts as out of date,
    never as "don't check".
    """

    widget = HiddenInput()
    # Never None: 0 when nothing was sent, and when the form is drawn without a value.
    data: int

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", 0)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is None:
            self.data = 0
