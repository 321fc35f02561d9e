"""Receiving a delivery at the desk: ISBNs scanned one after another, a known book +1 at once,
an unknown one looked up and added in one step, each line undoable, kept per member until they
finish it (a feature on the catalog, holds and book lookups; no Flask)."""
