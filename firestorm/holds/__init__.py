"""Copies held for pickup and books ordered for customers."""

# Loaded with the package, so the catalog's questions about a book hear from holds whichever
# holds module the app or a script imports first.
from firestorm.holds import book_questions  # noqa: F401
