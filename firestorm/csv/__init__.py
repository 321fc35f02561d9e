"""The catalog as CSV: files read as people bring them, imports checked, applied, recorded
and undone, and the export."""
