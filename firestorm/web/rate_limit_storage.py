"""The storage of the site's own counts (wrong passwords, hold emails per address): the shared
one (Redis) while it answers, and each worker's memory while it does not, so an outage of Redis
never stops a sign-in or a hold; the limits then count per worker until Redis is back.

Flask-Limiter's own limits (sign-in tries per address, holds per hour) fall back the same way
by themselves: RATELIMIT_IN_MEMORY_FALLBACK_ENABLED, in config.py.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from limits.storage import MemoryStorage, MovingWindowSupport, Storage, storage_from_string

log = logging.getLogger(__name__)

# How long a worker counts in its memory after the shared storage failed before asking it
# again: short enough that the limits are shared again soon after Redis is back, long enough
# that a Redis which hangs instead of refusing slows one request in a while, not every one.
RETRY_AFTER_SECONDS = 30.0

Answer = TypeVar("Answer")


def counts_storage(uri: str, options: dict[str, float | str | bool]) -> Storage:
    """The storage RATELIMIT_STORAGE_URI names, with RATELIMIT_STORAGE_OPTIONS (its timeouts),
    falling back to memory while it fails or does not answer in time; memory itself cannot
    fail and is per worker already."""
    shared = storage_from_string(uri, **options)
    if isinstance(shared, MemoryStorage):
        return shared
    if not isinstance(shared, Storage):
        raise ValueError("RATELIMIT_STORAGE_URI names an asyncio storage: the site waits for it.")
    return SharedOrLocalStorage(shared)


class SharedOrLocalStorage(Storage, MovingWindowSupport):
    """Counts in `shared` while it answers; in this worker's memory while it doesn't (said once
    in the log as a warning, and once more when it answers again). While in memory, the shared
    storage is asked again every `retry_after` seconds."""

    # Not a storage an address can name: limits registers every Storage by its scheme.
    STORAGE_SCHEME = None

    def __init__(
        self,
        shared: Storage,
        retry_after: float = RETRY_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        if not isinstance(shared, MovingWindowSupport):
            raise ValueError("The site's counts need a storage with moving windows.")
        self.shared = shared
        self.local = MemoryStorage()
        self.retry_after = retry_after
        self._clock = clock
        # None while the shared storage answers; else when to ask it again.
        self._local_until: float | None = None
        self._lock = threading.Lock()

    @property
    def in_memory(self) -> bool:
        return self._local_until is not None

    def _counted(self, count: Callable[[Storage], Answer]) -> Answer:
        local_until = self._local_until
        if local_until is not None and self._clock() < local_until:
            return count(self.local)
        try:
            answer = count(self.shared)
        except self.shared.base_exceptions as error:
            self._shared_failed(error)
            return count(self.local)
        if local_until is not None:
            self._shared_answered()
        return answer

    def _shared_failed(self, error: Exception) -> None:
        with self._lock:
            first_failure = self._local_until is None
            self._local_until = self._clock() + self.retry_after
        if first_failure:
            # The error's words name the server's host and port, never its password; the keys
            # counted are digests, so no address is logged either.
            log.warning(
                "The shared rate limit storage does not answer (%s: %s): wrong passwords and "
                "hold emails are counted in this worker's memory until it does",
                type(error).__name__,
                error,
            )

    def _shared_answered(self) -> None:
        with self._lock:
            was_in_memory = self._local_until is not None
            self._local_until = None
        if was_in_memory:
            log.info("The shared rate limit storage answers again: counting there")

    # limits' Storage, each call through _counted.

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return self.local.base_exceptions

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self._counted(lambda storage: storage.incr(key, expiry, amount))

    def get(self, key: str) -> int:
        return self._counted(lambda storage: storage.get(key))

    def get_expiry(self, key: str) -> float:
        return self._counted(lambda storage: storage.get_expiry(key))

    def check(self) -> bool:
        # Counting works, in one storage or the other.
        return True

    def reset(self) -> int | None:
        self.local.reset()
        return self._counted(lambda storage: storage.reset())

    def clear(self, key: str) -> None:
        self._counted(lambda storage: storage.clear(key))

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        return self._counted(
            lambda storage: moving_window(storage).acquire_entry(key, limit, expiry, amount)
        )

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        return self._counted(
            lambda storage: moving_window(storage).get_moving_window(key, limit, expiry)
        )


def moving_window(storage: Storage) -> MovingWindowSupport:
    assert isinstance(storage, MovingWindowSupport), "checked when the storage was made"
    return storage
