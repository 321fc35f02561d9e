"""A Redis server for the tests that need one (not a test module): its address, and the mark
that skips them when none answers (a failure in CI, see conftest.py)."""

import pytest
import redis

# Database 15, which the site's own Redis setting never names: the tests empty it.
REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except (redis.RedisError, OSError):
        return False


needs_redis = pytest.mark.skipif(
    not redis_answers(), reason="no Redis server answers on 127.0.0.1:6379"
)
