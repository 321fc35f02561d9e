"""The catalog: books and their authors, search, ISBNs and stock."""

# Loaded with the package, so that the search index follows every change to a book made
# anywhere (its flush hook), whichever catalog module the app or a script imports first.
from firestorm.catalog import search_index  # noqa: F401
