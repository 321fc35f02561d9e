"""gunicorn's settings for running the site in production: `make serve`, or
`gunicorn -c gunicorn.conf.py app:app` from a systemd unit (see README.md, Deployment).

Settings come from the same FIRESTORM_* environment as the app's; the app refuses to start
here without a secret key, with debug on, or without SITE_URL."""

import multiprocessing
import os

# The app checks its production settings (firestorm/production.py).
raw_env = ["FIRESTORM_PRODUCTION=true"]

# Never a public address: a sync worker waits for the whole of each request, so a few clients
# that send slowly would hold them all. The proxy in front reads requests whole first (README.md,
# Deployment; tests/test_slow_clients.py).
bind = os.environ.get("FIRESTORM_BIND", "127.0.0.1:8000")
# Sync workers: two per core and one more, the usual start for a site that waits on its
# database; FIRESTORM_WORKERS overrides it on a very small server.
workers = int(os.environ.get("FIRESTORM_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A request that takes longer than this is stuck (the slowest page takes milliseconds).
timeout = 30
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so a slow leak can never grow for months.
max_requests = 2000
max_requests_jitter = 200

accesslog = "-"
errorlog = "-"
# Invitation links (/invite/<token>) never reach the access log, not even in a Referer.
logger_class = "firestorm.web.logs.RedactingGunicornLogger"

# Trust X-Forwarded-* only when a proxy in front is declared (FIRESTORM_PROXY_COUNT, which
# the app also reads): otherwise anyone could claim to arrive over https, or from anywhere.
forwarded_allow_ips = "127.0.0.1,::1" if int(os.environ.get("FIRESTORM_PROXY_COUNT", "0")) else ""


def on_starting(server):
    """Once per start of the site, in the master (a deploy, a restored backup, new settings),
    and not for each worker that max_requests replaces: every public page's ETag changes once
    (firestorm/web/last_change.py)."""
    from firestorm.web import last_change

    last_change.site_started()


on_reload = on_starting
