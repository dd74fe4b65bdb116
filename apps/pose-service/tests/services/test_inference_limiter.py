from __future__ import annotations

import asyncio

import pytest

from pose_service.errors import ServiceBusyError
from pose_service.services.inference_limiter import InferenceLimiter


def test_requests_beyond_the_slots_queue_and_beyond_the_queue_are_refused() -> None:
    async def scenario() -> None:
        limiter = InferenceLimiter(max_active=1, max_queued=1, retry_after_s=7)
        release = asyncio.Event()

        async def hold() -> None:
            async with limiter.slot():
                await release.wait()

        first = asyncio.create_task(hold())
        second = asyncio.create_task(hold())
        await asyncio.sleep(0.01)
        assert (limiter.stats().active, limiter.stats().queued) == (1, 1)
        with pytest.raises(ServiceBusyError) as refused:
            async with limiter.slot():
                pass
        assert refused.value.retry_after_s == 7
        assert refused.value.status_code == 503
        release.set()
        await asyncio.gather(first, second)
        assert (limiter.stats().active, limiter.stats().queued) == (0, 0)

    asyncio.run(scenario())
