"""Refusal: how every rule says no, in the words a person reads, naming the field at fault.

The concept packages raise it (each through its own subclass: BookProblem, StockProblem,
HoursProblem, AccountError, ReviewError, …, so a route catches what its one call can refuse);
web/forms.py puts it beside its field on the form, or above the form. No Flask here."""


class Refusal(ValueError):
    """What a rule refuses, said so the person can put it right; `field` names the form field
    at fault ("isbn", "reason", …), or is None when it is the request as a whole.

    A subclass whose refusals are all about one thing names it once, where it is declared:
    `class ShelfProblem(Refusal, field="name")`, a shelf's problems all being about its name."""

    field: str | None = None

    def __init_subclass__(cls, field: str | None = None, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if field is not None:
            cls.field = field

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        if field is not None:
            self.field = field
