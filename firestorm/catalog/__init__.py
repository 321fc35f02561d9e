"""The catalog: books and their authors, shelves, ISBNs, stock and covers."""
