"""The catalog: books and their authors, search, ISBNs and stock."""
