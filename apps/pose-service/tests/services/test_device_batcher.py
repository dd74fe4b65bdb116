from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from typing import Any

import pytest

from pose_service.services.device_batcher import BatcherClosedError, BatcherStats, DeviceBatcher


class Doubler:
    """A device stand-in: doubles each payload and records the batches it was given, and the thread of each."""

    def __init__(self) -> None:
        self.batches: list[tuple[Hashable, list[Any]]] = []
        self.threads: list[str] = []

    def __call__(self, key: Hashable, payloads: list[Any]) -> list[Any]:
        if "boom" in payloads:
            raise ValueError("the device failed")
        self.batches.append((key, payloads))
        self.threads.append(threading.current_thread().name)
        return [2 * p for p in payloads]


def _clients_submitting(batcher: DeviceBatcher, jobs: list[tuple[Hashable, int]]) -> list[int]:
    """Each job from its own registered request thread, all at once."""
    registered = threading.Barrier(len(jobs))

    def request(job: tuple[Hashable, int]) -> int:
        with batcher.client():
            registered.wait()  # every request is in before anyone submits, as streams that run side by side
            return batcher.submit(job[0], job[1])

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(request, jobs))


def test_requests_waiting_together_share_one_batch_and_each_gets_its_own_result() -> None:
    device = Doubler()
    with closing(DeviceBatcher(device, window_s=30.0, max_items=64)) as batcher:
        started = time.monotonic()
        assert _clients_submitting(batcher, [("lite", i) for i in range(6)]) == [0, 2, 4, 6, 8, 10]
        # It left when all six waited, not at the end of the window.
        assert time.monotonic() - started < 15
        assert len(device.batches) == 1 and sorted(device.batches[0][1]) == list(range(6))
        assert batcher.stats().batches == 1 and batcher.stats().jobs == 6


def test_a_lone_request_never_waits_for_the_window_and_runs_on_its_own_thread() -> None:
    device = Doubler()
    with closing(DeviceBatcher(device, window_s=30.0, max_items=64, name="the-worker")) as batcher:
        started = time.monotonic()
        with batcher.client():
            assert [batcher.submit("lite", i) for i in range(3)] == [0, 2, 4]
        assert batcher.submit("lite", 5) == 10  # unregistered callers too
        assert time.monotonic() - started < 15
        # Nobody to batch with: no hand-off to the worker.
        assert device.threads == [threading.current_thread().name] * 4
        assert batcher.stats() == BatcherStats(batches=4, jobs=4, items=4)


def test_requests_side_by_side_hand_their_jobs_to_the_worker() -> None:
    device = Doubler()
    with closing(DeviceBatcher(device, window_s=30.0, max_items=64, name="the-worker")) as batcher:
        assert _clients_submitting(batcher, [("lite", 1), ("lite", 2)]) == [2, 4]
        assert device.threads == ["the-worker"]


def test_a_request_that_does_not_submit_holds_the_others_up_for_one_window_only() -> None:
    device = Doubler()
    with closing(DeviceBatcher(device, window_s=0.2, max_items=64)) as batcher:
        with batcher.client(), batcher.client():  # two registered, one of them busy elsewhere
            started = time.monotonic()
            assert batcher.submit("lite", 1) == 2
            waited = time.monotonic() - started
        assert 0.15 < waited < 10


def test_models_and_stages_never_share_a_batch() -> None:
    device = Doubler()
    with closing(DeviceBatcher(device, window_s=30.0, max_items=64)) as batcher:
        detect, landmarks, full = ("lite", "detect"), ("lite", "landmarks"), ("full", "landmarks")
        jobs = [(detect, 1), (landmarks, 2), (full, 3), (detect, 4)]
        assert _clients_submitting(batcher, jobs) == [2, 4, 6, 8]
        keys = [key for key, _ in device.batches]
        assert len(keys) == len(set(keys)) == 3
        assert next(sorted(p) for key, p in device.batches if key == detect) == [1, 4]


def test_a_batch_holds_at_most_max_items() -> None:
    device = Doubler()
    with closing(DeviceBatcher(device, window_s=30.0, max_items=4)) as batcher:
        assert _clients_submitting(batcher, [("lite", i) for i in range(10)]) == [2 * i for i in range(10)]
        assert all(len(payloads) <= 4 for _, payloads in device.batches)
        assert sum(len(payloads) for _, payloads in device.batches) == 10


def test_a_failing_batch_fails_its_requests_and_the_next_batch_runs() -> None:
    with closing(DeviceBatcher(Doubler(), window_s=0.0, max_items=64)) as batcher:
        with pytest.raises(ValueError, match="the device failed"):
            batcher.submit("lite", "boom")
        assert batcher.submit("lite", 21) == 42


def test_jobs_after_close_are_refused_by_name() -> None:
    batcher = DeviceBatcher(Doubler(), window_s=0.0, max_items=64)
    batcher.close()
    with pytest.raises(BatcherClosedError, match="shutting down"):
        batcher.submit("lite", 1)
