"""The README's proxy configs, read out of README.md so that the README cannot drift from what
is tested, and Caddy run with them (not a test module). Shared by the slow-client and two-server
tests."""

import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

from html_checks import PROJECT_ROOT

# What the README's configs name: the site's address, gunicorn's and the code's folder.
SITE, GUNICORN, CODE = "books.example.org", "127.0.0.1:8000", "/srv/firestorm/app"
# The app servers "Growing past one server" names.
APP_SERVERS = ("10.0.0.11:8000", "10.0.0.12:8000")
# Tools in /usr/sbin, which is not on every user's PATH.
SEARCH_PATH = f"{os.environ.get('PATH', '')}:/usr/sbin"


def readme_block(containing: str) -> str:
    """The one fenced block in README.md that holds `containing`, without its indent."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    fenced = re.findall(r"^( *)```[a-z]*\n(.*?)^\1```$", readme, re.MULTILINE | re.DOTALL)
    found = [textwrap.dedent(body) for _, body in fenced if containing in body]
    assert len(found) == 1, f"README.md should show one config with {containing!r}"
    return found[0]


def readme_caddyfile(port: int, upstreams: list[int]) -> str:
    """The README's Caddyfile for http://127.0.0.1:<port> in front of gunicorn on one upstream
    port; with several, its reverse_proxy is the one "Growing past one server" shows, and the
    covers block is left out as that section says."""
    caddyfile = readme_block(f"reverse_proxy {GUNICORN}")
    caddyfile = caddyfile.replace(f"{SITE} {{", f"http://127.0.0.1:{port} {{")
    caddyfile = caddyfile.replace(CODE, str(PROJECT_ROOT))
    if len(upstreams) == 1:
        return caddyfile.replace(GUNICORN, f"127.0.0.1:{upstreams[0]}")
    several = readme_block(f"reverse_proxy {' '.join(APP_SERVERS)}")
    for named, upstream in zip(APP_SERVERS, upstreams, strict=True):
        several = several.replace(named, f"127.0.0.1:{upstream}")
    caddyfile = re.sub(
        r"^    reverse_proxy .*?^    \}\n",
        textwrap.indent(several, "    "),
        caddyfile,
        flags=re.MULTILINE | re.DOTALL,
    )
    return re.sub(r"^    @covers .*?^    \}\n", "", caddyfile, flags=re.MULTILINE | re.DOTALL)


def start_caddy(folder: Path, caddyfile: str) -> subprocess.Popen:
    """Caddy with the Caddyfile, turned into Caddy's JSON with its admin endpoint off (it would
    take the same port in every run) and its state in folder."""
    (folder / "Caddyfile").write_text(caddyfile)
    caddy = shutil.which("caddy", path=SEARCH_PATH)
    env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder)}
    env["XDG_CONFIG_HOME"] = str(folder)
    adapted = subprocess.run(
        [caddy, "adapt", "--config", str(folder / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert adapted.returncode == 0, f"Caddy refuses the README's Caddyfile: {adapted.stderr}"
    config = {**json.loads(adapted.stdout), "admin": {"disabled": True}}
    (folder / "caddy.json").write_text(json.dumps(config))
    return subprocess.Popen(
        [caddy, "run", "--config", str(folder / "caddy.json")],
        env=env,
        stdout=(folder / "caddy.log").open("w"),
        stderr=subprocess.STDOUT,
    )
