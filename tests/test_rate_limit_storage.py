"""The site's own counts while the shared storage fails (firestorm/web/rate_limit_storage.py):
each worker's memory until it answers again, asked again every so often, said once in the log.
Through the pages, against a Redis that is down or cut off: test_redis_outage.py."""

import logging

import pytest
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from firestorm.web.rate_limit_storage import SharedOrLocalStorage, counts_storage

FIVE = parse("5 per 15 minutes")
KEY = ("place", "3f2a9c", "198.51.100.7")


class FlakyStorage(MemoryStorage):
    """A shared storage that can go down: every call fails as Redis's do (ConnectionError)."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.calls = 0

    @property
    def base_exceptions(self):
        return ConnectionError

    def _answering(self) -> None:
        self.calls += 1
        if self.down:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    def acquire_entry(self, key, limit, expiry, amount=1):
        self._answering()
        return super().acquire_entry(key, limit, expiry, amount)

    def get_moving_window(self, key, limit, expiry):
        self._answering()
        return super().get_moving_window(key, limit, expiry)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def shared():
    return FlakyStorage()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def counts(shared, clock):
    return SharedOrLocalStorage(shared, retry_after=30, clock=clock)


def hits(counts, times: int) -> list[bool]:
    counter = MovingWindowRateLimiter(counts)
    return [counter.hit(FIVE, *KEY) for _ in range(times)]


def test_while_the_shared_storage_answers_everything_is_counted_there(counts, shared):
    hits(counts, 3)

    assert MovingWindowRateLimiter(shared).get_window_stats(FIVE, *KEY).remaining == 2
    assert not counts.in_memory


def test_while_it_is_down_the_limit_still_holds_in_memory(counts, shared):
    shared.down = True

    assert hits(counts, 6) == [True] * 5 + [False]
    assert counts.in_memory


def test_the_outage_is_logged_once_for_many_counts_and_names_no_key(counts, shared, caplog):
    shared.down = True
    with caplog.at_level(logging.INFO, logger="firestorm"):
        hits(counts, 20)

    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "counted in this worker's memory" in warnings[0].getMessage()
    assert "Connection refused" in warnings[0].getMessage(), "the log says why"
    assert not any("3f2a9c" in record.getMessage() for record in caplog.records)


def test_it_is_not_asked_again_until_the_retry_time(counts, shared, clock):
    shared.down = True
    hits(counts, 1)
    calls_at_outage = shared.calls

    clock.now += 29
    hits(counts, 10)
    assert shared.calls == calls_at_outage, "not asked within 30 seconds"

    clock.now += 2
    hits(counts, 1)
    assert shared.calls == calls_at_outage + 1, "asked again after 30 seconds"


def test_when_it_answers_again_the_counts_go_back_there_and_the_log_says_so(
    counts, shared, clock, caplog
):
    shared.down = True
    hits(counts, 2)
    shared.down = False
    clock.now += 31
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="firestorm"):
        hits(counts, 4)

    assert MovingWindowRateLimiter(shared).get_window_stats(FIVE, *KEY).remaining == 1
    assert not counts.in_memory
    assert [record.getMessage() for record in caplog.records] == [
        "The shared rate limit storage answers again: counting there"
    ]


def test_a_second_outage_is_logged_again(counts, shared, clock, caplog):
    with caplog.at_level(logging.WARNING, logger="firestorm"):
        for _ in range(2):
            shared.down = True
            hits(counts, 3)
            shared.down = False
            clock.now += 31
            hits(counts, 1)

    assert len(caplog.records) == 2


def test_memory_is_not_wrapped_it_is_per_worker_already():
    timeouts = {"socket_timeout": 0.5}
    assert isinstance(counts_storage("memory://", timeouts), MemoryStorage)
    assert isinstance(counts_storage("redis://127.0.0.1:6379/15", timeouts), SharedOrLocalStorage)
