"""The shelf forms: adding a shelf and renaming one (removing needs only the CSRF token)."""

from typing import Any

from wtforms import StringField

from firestorm.catalog.models import Shelf
from firestorm.catalog.shelves import NAME_MAX_LENGTH
from firestorm.web.forms import SiteForm


def name_field(label: str) -> StringField:
    # The rules (given, not too long, not taken) live in catalog/shelves.py, whose refusal the
    # route puts next to this field: one place says them.
    return StringField(
        label,
        render_kw={"maxlength": NAME_MAX_LENGTH, "autocomplete": "off", "required": True},
    )


class AddShelfForm(SiteForm):
    name = name_field("Name of the new shelf")


class RenameShelfForm(SiteForm):
    """One for each shelf on the list: the field's name stays plain, its id must not repeat."""

    name = name_field("New name")

    def __init__(self, shelf: Shelf, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.name.data is None:
            self.name.data = shelf.name
        self.name.id = f"rename-{shelf.id}-name"
        self.name.label.field_id = self.name.id
        self.name.label.text = f"New name for “{shelf.name}”"
