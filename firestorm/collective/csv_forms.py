"""The forms of CSV import: choosing the file, and importing what the dry run showed."""

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from firestorm.web.forms import SiteForm


class ImportForm(SiteForm):
    file = FileField(
        "CSV file",
        validators=[FileRequired("Choose the CSV file to import.")],
        render_kw={"accept": ".csv,.txt,text/csv", "required": True},
    )


class ApplyImportForm(SiteForm):
    """The file's text as the dry run read it, signed so that no other can be imported."""

    carried = HiddenField()
