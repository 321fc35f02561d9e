"""SiteForm, the base of every form: FlaskForm, reading what was sent (even nothing), with
files only for the fields that take them, and showing a rule's refusal beside its field."""

from flask import abort, request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict
from wtforms import Field
from wtforms.fields import FileField

from firestorm.refusals import Refusal


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
