"""Web plumbing shared by every blueprint: access, htmx, headers, errors, templates, the
request's transaction and clock, SQLite connection set-up."""
