"""Entry point: `flask --app app run`, `gunicorn app:app`."""

from firestorm import create_app

app = create_app()
