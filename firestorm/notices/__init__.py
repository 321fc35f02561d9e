"""What a volunteer is told about their reviews: approved, returned, published."""

# Loaded with the package, so a decision on a review is told to its author (inbox.py hears
# reviews' `decided`) whichever notices module the app or a script imports first.
from firestorm.notices import inbox  # noqa: F401
