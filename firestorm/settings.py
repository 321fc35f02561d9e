"""Where the settings come from (the defaults in config.py, then instance/config.py, then
FIRESTORM_* environment variables) and the folders the site keeps its files in."""

import os
from pathlib import Path

from flask import Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The instance folder cannot be a setting like the others: instance/config.py is read from it.
INSTANCE_PATH_VARIABLE = "FIRESTORM_INSTANCE_PATH"


def instance_path() -> Path:
    """The folder of this site's own files (config.py, the secret key, the SQLite database,
    covers): FIRESTORM_INSTANCE_PATH when set, so that two sites can run from one copy of the
    code; instance/ in the project otherwise."""
    configured = os.environ.get(INSTANCE_PATH_VARIABLE, "").strip()
    return Path(configured).resolve() if configured else PROJECT_ROOT / "instance"


def read_settings(config: Config) -> None:
    """The settings, from their sources in order (the config's root is the instance folder)."""
    config.from_object("firestorm.config")
    config.from_pyfile("config.py", silent=True)
    config.from_prefixed_env("FIRESTORM")
