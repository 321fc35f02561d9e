"""SiteForm, the base of every form: FlaskForm, reading what was sent (even nothing), with
files only for the fields that take them, showing a rule's refusal beside its field, and
listing every refusal for the error summary at the top of a refused page."""

from collections.abc import Iterator
from typing import NamedTuple

from flask import abort, request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict
from wtforms import Field
from wtforms.fields import FileField
from wtforms.widgets import ListWidget

from firestorm.refusals import Refusal


class ErrorLine(NamedTuple):
    """One line of a page's error summary: the words, and the id of the input to go to to put
    them right (None for a refusal of the form as a whole, said without a link)."""

    message: str
    field_id: str | None


class SiteForm(FlaskForm):
    """Two things FlaskForm does that a form of ours must not:

    - A post with an empty body gives FlaskForm no form data at all, so the fields keep the
      values the route drew the page with and never read what was sent: a hidden "version"
      would say the page was up to date. A submitted form always reads the request's form
      data, however little there is (a missing SeenField reads 0, out of date).
    - Flask-WTF merges uploaded files into the form data, so a file sent under a text field's
      name would reach that field, and the domain after it, as a file object instead of
      text. Such a request comes from no page of ours: refused with 400.
    """

    # Fields named here come first in the error summary, in this order, where the page does not
    # show them in the order they are declared (a subclass's fields come after its base's).
    page_order: tuple[str, ...] = ()

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: "SiteForm", formdata: object) -> object:
            read_from_request = formdata is _Auto
            formdata = super().wrap_formdata(form, formdata)
            if formdata is None and read_from_request and form.is_submitted():
                return request.form
            if isinstance(formdata, CombinedMultiDict):
                takes_files = {field.name for field in form if isinstance(field, FileField)}
                if any(name not in takes_files for name in request.files):
                    abort(400)
            return formdata

    def show_refusal(self, refusal: Refusal, field: str | None = None) -> Field | None:
        """Put a refusal's words beside the field it names, and return that field; or above
        the form when it names none this form has. `field` is for a form that calls the thing
        otherwise than the rule does (the book form's one stock field, where the stock
        controls have a count)."""
        name = field or refusal.field
        if name and name in self:
            self[name].errors = [*self[name].errors, str(refusal)]
            return self[name]
        self.form_errors.append(str(refusal))
        return None

    def error_summary(self) -> list[ErrorLine]:
        """Every refusal on the form, as the page says them from the top: the form's own, then
        each field's in the order the page shows the fields (templates/_forms.html draws them)."""
        lines = [ErrorLine(message, None) for message in self.form_errors]
        for field in self._fields_in_page_order():
            anchor = self.summary_target(field)
            lines += [ErrorLine(message, anchor) for message in self.summary_messages(field)]
        return lines

    @property
    def is_refused(self) -> bool:
        """The page shows this form refused: the summary at its top, "Error: " in its title."""
        return bool(self.error_summary())

    def summary_messages(self, field: Field) -> list[str]:
        """What the summary says about a field: its errors (a form with errors about a group of
        fields says them at the group's first field)."""
        return [str(message) for message in field.errors]

    def summary_target(self, field: Field) -> str | None:
        """The id the summary links a field's words to (None: said without a link), for a form
        whose page draws a field otherwise than the field macro does."""
        return input_id(field)

    def _fields_in_page_order(self) -> Iterator[Field]:
        first = [self[name] for name in self.page_order]
        yield from first
        yield from (field for field in self if field not in first)


def input_id(field: Field) -> str | None:
    """The id of the input a link to the field puts focus on: a list of radio buttons or boxes
    is entered at its first one (WTForms numbers their ids); a hidden field has none to go to."""
    if getattr(field.widget, "input_type", None) == "hidden":
        return None
    if isinstance(field.widget, ListWidget):
        return f"{field.id}-0"
    return str(field.id)
