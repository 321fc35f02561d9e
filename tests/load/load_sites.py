"""The sites the load and two-server tests run (not a test module): a database made afresh for
them, and gunicorn serving it from an instance folder of its own, as each app server of a shop
that has grown past one machine does."""

import os
import subprocess
from pathlib import Path

from server_helpers import start_gunicorn
from sqlalchemy import create_engine

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
SECRET_KEY = "l" * 64


def fresh_postgres_database(name: str) -> str:
    """An empty database `name` on the test server (dropped first if a run left it)."""
    admin = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return f"{POSTGRES}/{name}"


def start_site(
    database_url: str, port: int, instance_folder: Path, workers: int, **settings: str
) -> subprocess.Popen:
    """gunicorn from gunicorn.conf.py on `port`, its own files in `instance_folder`; `settings`
    are more FIRESTORM_* settings, by name without the prefix."""
    instance_folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "FIRESTORM_INSTANCE_PATH": str(instance_folder),
        "FIRESTORM_DATABASE_URL": database_url,
        # One key for every server: a session signed by one is good on the others.
        "FIRESTORM_SECRET_KEY": SECRET_KEY,
        "FIRESTORM_SITE_URL": f"http://127.0.0.1:{port}",
        "FIRESTORM_BIND": f"127.0.0.1:{port}",
        "FIRESTORM_WORKERS": str(workers),
        "FIRESTORM_LOG_LEVEL": "WARNING",
        **{f"FIRESTORM_{name}": value for name, value in settings.items()},
    }
    return start_gunicorn(env, "--access-logfile", "/dev/null")
