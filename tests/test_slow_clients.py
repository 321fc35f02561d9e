"""A slow client cannot stall the site (issue 16): gunicorn as deployed (gunicorn.conf.py, four
sync workers, production settings, a SQLite file) behind the README's nginx config and behind
its Caddy config, both read out of README.md, so the README cannot drift from what is tested.

Twenty clients each promise a 100,000-byte form and send 7 bytes of it. Without a proxy that
reads a request whole first, each holds a gunicorn worker for 30 s, and four stall the site.

Needs nginx and Caddy (Debian packages nginx, caddy); CI installs them."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from html_checks import PROJECT_ROOT, missing_tool
from proxy_helpers import CODE, GUNICORN, SEARCH_PATH, readme_block, readme_caddyfile, start_caddy
from server_helpers import free_port, gunicorn_env, start_gunicorn, upgrade_database, wait_until_up

pytestmark = pytest.mark.proxy

PROXIES = ["nginx", "caddy"]
WORKERS, SLOW_CLIENTS = 4, 20
# A page answers within this while the slow clients hang (it takes milliseconds).
PAGE_SECONDS = 3
# The README's proxies drop a client that stalls after 10 s (nginx) or 30 s (Caddy).
CUT_OFF_SECONDS = 40


@dataclass
class Site:
    port: int
    access_log: Path
    # Where the proxy writes what it logs of each request (Caddy: only its own messages).
    proxy_log: Path
    slow_clients: list[socket.socket] = field(default_factory=list)
    opened_at: float = 0.0


def nginx_config(folder: Path, port: int, upstream: int) -> Path:
    """The README's server block, on plain HTTP at a free port (the certificate lines are for
    the real site), in a main config of its own whose files all stay in folder."""
    server = readme_block(f"proxy_pass http://{GUNICORN}")
    server = re.sub(r"listen 443[^;]*;", f"listen 127.0.0.1:{port};", server)
    server = "\n".join(line for line in server.splitlines() if "ssl_certificate" not in line)
    server = server.replace(GUNICORN, f"127.0.0.1:{upstream}").replace(CODE, str(PROJECT_ROOT))
    server = server.replace("/var/log/nginx/access.log", str(folder / "nginx-access.log"))
    temp_paths = "\n".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    temp_paths += f"\nuwsgi_temp_path {folder / 'uwsgi'};\nscgi_temp_path {folder / 'scgi'};"
    # As root, nginx's workers would run as nobody, who may not enter the test's folder.
    user = "user root;" if os.geteuid() == 0 else ""
    config = folder / "nginx.conf"
    config.write_text(
        f"daemon off;\npid {folder / 'nginx.pid'};\n{user}\nevents {{}}\n"
        f"http {{\naccess_log off;\n{temp_paths}\n{server}\n}}\n"
    )
    return config


def start_nginx(folder: Path, port: int, upstream: int) -> subprocess.Popen:
    config = nginx_config(folder, port, upstream)
    nginx = shutil.which("nginx", path=SEARCH_PATH)
    return subprocess.Popen(
        [nginx, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )


def start_caddy_in_front(folder: Path, port: int, upstream: int) -> subprocess.Popen:
    return start_caddy(folder, readme_caddyfile(port, [upstream]))


def stop(servers: list[subprocess.Popen]) -> None:
    """Stop them all at once (SIGINT: gunicorn's quick shutdown; nginx's and Caddy's usual)."""
    for server in servers:
        server.send_signal(signal.SIGINT)
    for server in servers:
        try:
            server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


def site_env(database: Path, port: int) -> dict:
    """Production settings, behind one proxy, on the SQLite file in the folder database."""
    return gunicorn_env(
        database,
        port,
        FIRESTORM_SECRET_KEY="s" * 64,
        FIRESTORM_SITE_URL="http://127.0.0.1",
        FIRESTORM_WORKERS=str(WORKERS),
        FIRESTORM_PROXY_COUNT="1",
    )


def start_site(proxy: str, folder: Path, database: Path, servers: list) -> Site:
    """gunicorn with four workers on the database, and the proxy in front of it."""
    upstream, port = free_port(), free_port()
    env = site_env(database, upstream)
    access_log = folder / "access.log"
    gunicorn = start_gunicorn(env, "--access-logfile", str(access_log))
    servers.append(gunicorn)
    wait_until_up(f"http://127.0.0.1:{upstream}/healthz", gunicorn)
    server = {"nginx": start_nginx, "caddy": start_caddy_in_front}[proxy](folder, port, upstream)
    servers.append(server)
    wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
    proxy_log = folder / ("nginx-access.log" if proxy == "nginx" else "caddy.log")
    return Site(port=port, access_log=access_log, proxy_log=proxy_log)


def slow_client(port: int) -> socket.socket:
    """A sign-in form that promises 100,000 bytes, sends 7 and then nothing."""
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(
        f"POST /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
        "email=x".encode()
    )
    return client


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Both proxies, each with its own gunicorn, and twenty slow clients hanging on each, all
    opened at once so that waiting for one proxy to drop them waits for the other too."""
    for tool in ("nginx", "caddy"):
        if shutil.which(tool, path=SEARCH_PATH) is None:
            missing_tool(f"no {tool}: apt-get install nginx caddy")
    database = tmp_path_factory.mktemp("database")
    upgrade_database(site_env(database, free_port()))
    with ExitStack() as running:
        servers = []
        running.callback(stop, servers)
        sites = {
            proxy: start_site(proxy, tmp_path_factory.mktemp(proxy), database, servers)
            for proxy in PROXIES
        }
        for site in sites.values():
            site.slow_clients = [slow_client(site.port) for _ in range(SLOW_CLIENTS)]
            site.opened_at = time.monotonic()
            for client in site.slow_clients:
                running.callback(client.close)
        yield sites


def page_status(port: int, path: str) -> int | str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=PAGE_SECONDS) as page:
            return page.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return f"no answer within {PAGE_SECONDS} s"


def still_waiting(client: socket.socket) -> bool:
    """True while the proxy has neither answered the client nor hung up on it."""
    try:
        client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def cut_off_by(client: socket.socket, deadline: float) -> bool:
    """Whether the proxy closes the connection before the deadline (after an answer, or not)."""
    while (left := deadline - time.monotonic()) > 0:
        client.settimeout(left)
        try:
            if not client.recv(4096):
                return True
        except TimeoutError:
            return False
        except OSError:
            return True
    return False


@pytest.mark.parametrize("proxy", PROXIES)
def test_pages_answer_while_twenty_slow_clients_hang(sites, proxy):
    site = sites[proxy]

    assert all(still_waiting(client) for client in site.slow_clients)
    assert {path: page_status(site.port, path) for path in ("/", "/books")} == {
        "/": 200,
        "/books": 200,
    }


@pytest.mark.parametrize("proxy", PROXIES)
def test_a_body_over_the_limit_is_refused_never_passed_on_cut_short(sites, proxy):
    """Sent in chunks, so nothing says its length up front: a proxy that stopped reading at
    its limit and passed on what it had as the whole would hand the site a form cut short."""
    site = sites[proxy]
    chunk = b"a" * 1024 * 1024

    with socket.create_connection(("127.0.0.1", site.port), timeout=PAGE_SECONDS) as client:
        client.sendall(
            f"POST /login?too-large HTTP/1.1\r\nHost: 127.0.0.1:{site.port}\r\n".encode()
            + b"Content-Type: application/x-www-form-urlencoded\r\n"
            + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + b"%x\r\n%s\r\n" % (len(chunk), chunk) * 9
            + b"0\r\n\r\n"
        )
        status_line = client.makefile("rb").readline()

    assert status_line.split()[1] == b"413"


@pytest.mark.parametrize("proxy", PROXIES)
def test_the_proxy_cuts_slow_clients_off_and_gunicorn_never_sees_them(sites, proxy):
    site = sites[proxy]

    deadline = site.opened_at + CUT_OFF_SECONDS
    hanging = sum(not cut_off_by(client, deadline) for client in site.slow_clients)

    assert hanging == 0, f"{hanging} slow clients still connected after {CUT_OFF_SECONDS} s"
    assert "POST /login HTTP" not in site.access_log.read_text()
    assert page_status(site.port, "/books") == 200


@pytest.mark.parametrize("proxy", PROXIES)
def test_a_holds_private_link_reaches_no_proxy_log(sites, proxy):
    """The customer's link to their hold is a password for as long as the hold lasts. nginx
    logs the page after it (so the log is written at all), never the link; Caddy keeps no
    access log."""
    site = sites[proxy]
    token = "a-hold-token-QTx7"

    assert page_status(site.port, f"/holds/{token}") == 404
    assert page_status(site.port, f"/holds/{token}/cancel") == 404
    assert page_status(site.port, "/hours?after-the-hold") == 200

    if proxy == "nginx":
        # nginx writes a request's line once it has finished it, which on a busy machine can
        # be after the answer arrived: wait for the last one, so the earlier ones are in too.
        assert logged_within(site.proxy_log, "GET /hours?after-the-hold HTTP", PAGE_SECONDS)
    assert token not in site.proxy_log.read_text()


def logged_within(log: Path, line: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while line not in log.read_text():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
