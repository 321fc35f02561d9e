"""Where the settings come from (the defaults in config.py, then instance/config.py, then
FIRESTORM_* environment variables) and the folders the site keeps its files in."""

from pathlib import Path

from flask import Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = PROJECT_ROOT / "instance"


def read_settings(config: Config) -> None:
    """The settings, from their sources in order (the config's root is the instance folder)."""
    config.from_object("firestorm.config")
    config.from_pyfile("config.py", silent=True)
    config.from_prefixed_env("FIRESTORM")
