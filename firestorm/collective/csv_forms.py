"""The forms of CSV import: choosing the file, and importing what the dry run showed (with the
renames and new shelves ticked on it)."""

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectMultipleField

from firestorm.typed_text import whole_number
from firestorm.web.forms import SiteForm


class ImportForm(SiteForm):
    file = FileField(
        "CSV file",
        validators=[FileRequired("Choose the CSV file to import.")],
        render_kw={"accept": ".csv,.txt,text/csv", "required": True},
    )


class ApplyImportForm(SiteForm):
    """The file's text as the dry run read it, signed so that no other can be imported, and
    the ticks: the rows whose rename to make, the new shelves to add (by their address).
    Ticks that name nothing in the plan change nothing."""

    carried = HiddenField()
    renames = SelectMultipleField(validate_choice=False)
    shelves = SelectMultipleField(validate_choice=False)

    def chosen_renames(self) -> frozenset[int]:
        rows = (whole_number(typed) for typed in self.renames.data or [])
        return frozenset(row for row in rows if row is not None)

    def chosen_shelves(self) -> frozenset[str]:
        return frozenset(slug[:80] for slug in self.shelves.data or [])
