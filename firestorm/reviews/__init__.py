"""Reviews: the workflow from draft to published, the collective's approvals, and how the
public reads them."""

# Loaded with the package, so the catalog's questions about a book hear from reviews whichever
# reviews module the app or a script imports first.
from firestorm.reviews import book_questions  # noqa: F401
