"""A bounded admission queue in front of decoding and inference.

Without it, every concurrent request decodes its media at once and memory grows with the number of clients.
`max_active` requests work at a time, `max_queued` more wait their turn, and anything beyond is refused at once
(503 + Retry-After) instead of piling up.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from pose_service.errors import ServiceBusyError


@dataclass(frozen=True)
class LimiterStats:
    active: int
    queued: int
    max_active: int
    max_queued: int
    cancelled: int


class InferenceLimiter:
    def __init__(self, max_active: int, max_queued: int, retry_after_s: int) -> None:
        self.max_active = max_active
        self.max_queued = max_queued
        self.retry_after_s = retry_after_s
        self._slots = asyncio.Semaphore(max_active)
        self._active = 0
        self._waiting = 0
        self._cancelled = 0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._active + self._waiting >= self.max_active + self.max_queued:
            raise ServiceBusyError(
                f"pose-service is busy ({self._active} requests running, {self._waiting} queued); retry later",
                self.retry_after_s,
            )
        self._waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
        self._active += 1
        try:
            yield
        finally:
            self._active -= 1
            self._slots.release()

    def count_cancelled(self) -> None:
        self._cancelled += 1

    def stats(self) -> LimiterStats:
        return LimiterStats(self._active, self._waiting, self.max_active, self.max_queued, self._cancelled)
