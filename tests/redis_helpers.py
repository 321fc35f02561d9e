"""A Redis server for the tests that need one (not a test module): its address, and the mark
that skips them when none answers (a failure in CI, see conftest.py)."""

import os

import pytest
import redis

# Database 15, which the site's own Redis setting never names: the tests empty it. Tests run in
# parallel (pytest -n, workers gw0, gw1, …) each take their own: 15, 14, …
WORKER_NUMBER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
REDIS_URL = f"redis://127.0.0.1:6379/{15 - WORKER_NUMBER}"


def redis_answers() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except (redis.RedisError, OSError):
        return False


needs_redis = pytest.mark.skipif(
    not redis_answers(), reason="no Redis server answers on 127.0.0.1:6379"
)
