"""`flask --app app backup FILE` and `restore FILE`: SQLite installs get one archive of the
database and the covers (a covers folder, when COVER_STORAGE keeps them in one); PostgreSQL
installs are told the pg_dump and pg_restore commands."""

from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from firestorm.backups import BackupError, operations, postgres
from firestorm.backups.archive import Manifest
from firestorm.catalog.cover_storage import FolderStorage
from firestorm.web import clock
from firestorm.web.cover_files import cover_storage


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(file: Path) -> None:
    """Back up the database and the covers to FILE (a .tar.gz), safely while the site runs."""
    url = _database_url()
    if url.get_backend_name() == "postgresql":
        _print_pg_dump_advice(url, file)
        return
    try:
        manifest = operations.make_backup(
            _sqlite_path(url), _covers_folder(), file, clock.current_time()
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up {_contents(manifest)} to {file} ({_size(file)}).")
    if not isinstance(cover_storage(), FolderStorage):
        click.echo(_covers_elsewhere())
    click.echo(f"Restore it with: flask --app app restore {file}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def restore(file: Path) -> None:
    """Replace the database and the covers with the backup in FILE. Stop the site first."""
    url = _database_url()
    if url.get_backend_name() == "postgresql":
        raise click.ClickException(
            "This site's database is PostgreSQL: restore puts back SQLite backups only. "
            f"Restore a pg_dump file with: {postgres.pg_restore_command(url, str(file))}"
        )
    try:
        restored = operations.restore_backup(
            file, _sqlite_path(url), _covers_folder(), _schema_revisions()
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    manifest = restored.manifest
    made = f"{manifest.made_at():%Y-%m-%d %H:%M %Z}"
    if _covers_folder() is None and manifest.covers:
        click.echo(f"Restored the database from the backup made {made}.")
        click.echo(
            f"Its {manifest.covers} cover files were left out: this site keeps its covers in "
            f"{cover_storage().where}."
        )
    else:
        click.echo(f"Restored {_contents(manifest)} from the backup made {made}.")
    for kept in (restored.database_aside, restored.covers_aside):
        if kept is not None:
            click.echo(f"What was there before is kept at {kept}.")
    click.echo("Next: flask --app app db upgrade, then start the site.")


def _schema_revisions() -> set[str]:
    """Every schema revision this version's migrations know (and can upgrade from)."""
    migrations = ScriptDirectory(current_app.extensions["migrate"].directory)
    return {script.revision for script in migrations.walk_revisions()}


def _print_pg_dump_advice(url: URL, file: Path) -> None:
    click.echo("This site's database is PostgreSQL: back it up with pg_dump. Nothing was written.")
    click.echo(f"  {postgres.pg_dump_command(url, str(file))}")
    click.echo(f"Restore it with:\n  {postgres.pg_restore_command(url, str(file))}")
    folder = _covers_folder()
    if folder is None:
        click.echo(f"Copy {current_app.instance_path} (the secret key and config) too.")
        click.echo(_covers_elsewhere())
    else:
        click.echo(
            f"Copy {current_app.instance_path} (the secret key and config) and the covers in "
            f"{folder} too."
        )


def _database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _sqlite_path(url: URL) -> Path:
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            f"backup and restore know SQLite and PostgreSQL, not {url.get_backend_name()}."
        )
    if url.database in (None, "", ":memory:"):
        raise click.ClickException("The database is in memory: there is no file to back up.")
    return Path(url.database).resolve()


def _covers_folder() -> Path | None:
    """The folder the uploaded covers are kept in (COVERS_DIR), or None when COVER_STORAGE
    keeps them elsewhere (the database, a bucket)."""
    storage = cover_storage()
    return storage.folder if isinstance(storage, FolderStorage) else None


def _covers_elsewhere() -> str:
    storage = cover_storage()
    if storage.in_transaction:
        return f"The covers are in {storage.where}, so this backup holds them."
    return f"The covers live in {storage.where} and are backed up with it, not in this file."


def _contents(manifest: Manifest) -> str:
    count = manifest.covers
    return "the database" + ("" if not count else f" and {count} cover{'s' if count > 1 else ''}")


def _size(file: Path) -> str:
    size = file.stat().st_size
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} kB"
