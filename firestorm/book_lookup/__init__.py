"""Looking a book up by its ISBN (Open Library), for the desk's add-book form and receiving:
the facts and cover a member checks before anything is saved, each answer kept for a while so
the same ISBN is asked once (a feature on the catalog; no Flask)."""
