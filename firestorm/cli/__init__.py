"""Flask commands: `flask --app app seed-demo`, `create-user`, `set-password`,
`import-books`, `export-books`, `backup`, `restore`, `purge` and `send-mail`."""

from flask import Flask

from firestorm.cli.accounts import create_user, set_password
from firestorm.cli.backup import backup, restore
from firestorm.cli.catalog import export_books, import_books
from firestorm.cli.demo import seed_demo
from firestorm.cli.holds import purge
from firestorm.cli.outbox import send_mail


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(set_password)
    app.cli.add_command(import_books)
    app.cli.add_command(export_books)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(purge)
    app.cli.add_command(send_mail)
