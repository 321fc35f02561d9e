"""SiteForm, the base of every form: FlaskForm, with files only for the fields that take them."""

from flask import abort, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict
from wtforms.fields import FileField


class SiteForm(FlaskForm):
    """Flask-WTF merges uploaded files into the form data, so a file sent under a text field's
    name would reach that field, and the domain after it, as a file object instead of text.
    Such a request comes from no page of ours: refused with 400."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            formdata = super().wrap_formdata(form, formdata)
            if isinstance(formdata, CombinedMultiDict):
                takes_files = {field.name for field in form if isinstance(field, FileField)}
                if any(name not in takes_files for name in request.files):
                    abort(400)
            return formdata
