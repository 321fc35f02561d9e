"""The book form: adding and editing a book in the collective's catalog desk."""

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.form import BaseForm
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from firestorm.catalog import prices
from firestorm.catalog.books import (
    DESCRIPTION_MAX_LENGTH,
    FORMAT_MAX_LENGTH,
    LARGEST_PAGE_COUNT,
    PAGE_COUNT_RULE,
    TITLE_MAX_LENGTH,
    BookDetails,
)
from firestorm.catalog.stock import LARGEST_STOCK
from firestorm.web.form_fields import WholeNumberField
from firestorm.web.forms import SiteForm


class ShelvesField(SelectMultipleField):
    """Shelves as a list of checkboxes: a book can sit on several."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: BaseForm) -> None:
        # A shelf removed while the form was open is simply no longer offered.
        offered = {choice[0] for choice in self.choices or []}
        self.data = [value for value in self.data or [] if value in offered]


class BookForm(SiteForm):
    title = StringField(
        "Title",
        validators=[InputRequired("Give the book's title.")],
        render_kw={"maxlength": TITLE_MAX_LENGTH},
    )
    subtitle = StringField("Subtitle", render_kw={"maxlength": TITLE_MAX_LENGTH})
    authors = TextAreaField(
        "Authors, one per line, in the order the cover gives them", render_kw={"rows": 3}
    )
    publisher = StringField("Publisher", render_kw={"maxlength": 200})
    # types-WTForms 3.2 lacks DateField's invalid_value_message, which WTForms 3.3 added.
    release_date = DateField(  # type: ignore[call-arg]
        "Release date",
        validators=[Optional()],
        format="%Y-%m-%d",
        invalid_value_message="Give the date as year-month-day, like 2010-07-01.",
    )
    # Optional: nothing typed is a page count not known; a word comes back as typed.
    page_count = WholeNumberField(
        "Number of pages",
        invalid_value_message=PAGE_COUNT_RULE,
        validators=[Optional(), NumberRange(1, LARGEST_PAGE_COUNT, PAGE_COUNT_RULE)],
        render_kw={"inputmode": "numeric", "size": 8},
    )
    isbn = StringField(
        "ISBN", render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 40}
    )
    description = TextAreaField(
        "Description", render_kw={"rows": 8, "maxlength": DESCRIPTION_MAX_LENGTH}
    )
    # Text, read the locale's way when the book is saved (catalog/prices.py): a refused "12,5"
    # comes back as typed.
    price = StringField(
        "Price",
        render_kw={"inputmode": "decimal", "autocomplete": "off", "size": 12, "maxlength": 40},
    )
    format = StringField(
        "Format", render_kw={"maxlength": FORMAT_MAX_LENGTH, "list": "book-formats"}
    )
    shelves = ShelvesField("Shelves", coerce=int)
    stock = WholeNumberField(
        "Copies in stock",
        default=0,
        invalid_value_message="Give the number of copies as a whole number, like 2.",
        validators=[
            InputRequired("Give the number of copies on the shelf (0 if none)."),
            NumberRange(0, LARGEST_STOCK, f"Give a number from 0 to {LARGEST_STOCK:,}."),
        ],
        render_kw={"inputmode": "numeric", "size": 8},
    )

    # The bytes decide what the file is (catalog/covers.py); `accept` only helps the file picker.
    cover = FileField("Cover image", render_kw={"accept": "image/jpeg,image/png,image/webp"})
    remove_cover = BooleanField("Remove the cover image")
    # Offered after a lookup found a cover (collective/book_routes.py): an upload wins.
    use_found_cover = BooleanField("Use the cover found on Open Library")

    def cover_upload(self) -> bytes | None:
        """The chosen cover's bytes; None when no file was chosen (browsers then send an
        empty part with no name)."""
        upload = self.cover.data
        if upload is None or not upload.filename:
            return None
        return upload.read()

    @property
    def cover_to_choose_again(self) -> bool:
        """A file was chosen but the form came back for another reason: no browser lets a
        page put a file back in a form, so the page asks for it again."""
        upload = self.cover.data
        return bool(upload and upload.filename and self.errors and not self.cover.errors)

    def details(self, money: prices.Money) -> BookDetails:
        """The book as the form gives it; PriceProblem for a price that can't be read."""
        return BookDetails(
            title=self.title.data or "",
            authors=tuple((self.authors.data or "").splitlines()),
            subtitle=self.subtitle.data or "",
            publisher=self.publisher.data or "",
            release_date=self.release_date.data,
            isbn=self.isbn.data or "",
            description=self.description.data or "",
            shelf_ids=tuple(self.shelves.data or ()),
            price=prices.read_price(self.price.data, money),
            format=self.format.data or "",
            page_count=self.page_count.data,
        )
