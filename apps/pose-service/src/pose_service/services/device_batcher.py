"""One device batch from the work of several requests at once (a micro-batcher).

A BlazePose video is sequential within itself: each frame's regions come from the previous frame's landmarks,
so one stream alone can batch only the people of one frame. Concurrent streams and image requests can share a
batch instead: each request's thread submits its job and blocks, and one worker thread runs the waiting jobs
of one key (a stage of one model) as a single device call, people across frames and requests.

The worker runs a batch as soon as every registered request is waiting on it (so streams in step batch fully),
when the oldest job has waited `window_s` (a request busy decoding does not hold the others up for longer), or
when `max_items` are gathered. A request with no other registered beside it and nothing queued runs its job on
its own thread: there is nobody to batch with, and the hand-off would only add two thread switches to each of
its frames. That needs `run` to be callable from any thread: the estimator's device lock
serialises it, and CUDA graphs (engine/cuda_graphs.py) make the device work the same on every thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


class BatcherClosedError(RuntimeError):
    """A job came after the batcher was closed (the service is shutting down)."""


@dataclass(frozen=True)
class BatcherStats:
    batches: int
    jobs: int
    items: int


@dataclass
class _Job:
    key: Hashable
    payload: Any
    size: int
    submitted: float = field(default_factory=time.monotonic)
    future: Future = field(default_factory=Future)


class DeviceBatcher:
    def __init__(
        self, run: Callable[[Hashable, list[Any]], list[Any]], window_s: float, max_items: int, name: str = "batcher"
    ) -> None:
        """`run(key, payloads)` returns one result per payload, in order; it runs on the worker thread, or on a
        lone request's own thread (see the module's docstring)."""
        self._run = run
        self.window_s = window_s
        self.max_items = max_items
        self._ready = threading.Condition()
        self._pending: list[_Job] = []
        self._clients = 0
        self._is_closed = False
        self._batches = self._jobs = self._items = 0
        self._worker = threading.Thread(target=self._serve, name=name, daemon=True)
        self._worker.start()

    @contextmanager
    def client(self) -> Iterator[None]:
        """A request that will submit jobs one after another: while it is registered, batches wait (up to the
        window) for its next job rather than leaving without it."""
        with self._ready:
            self._clients += 1
        try:
            yield
        finally:
            with self._ready:
                self._clients -= 1
                self._ready.notify_all()

    def submit(self, key: Hashable, payload: Any, size: int = 1) -> Any:
        """Run `payload` in the next batch of `key` (`size` items of it); blocks until its result is there."""
        job = _Job(key, payload, size)
        with self._ready:
            if self._is_closed:
                raise BatcherClosedError("the device batcher is closed (the service is shutting down)")
            runs_here = self._clients <= 1 and not self._pending
            if runs_here:
                self._count([job])
            else:
                self._pending.append(job)
                self._ready.notify_all()
        if runs_here:
            (result,) = self._run(key, [payload])
            return result
        return job.future.result()

    def stats(self) -> BatcherStats:
        with self._ready:
            return BatcherStats(self._batches, self._jobs, self._items)

    def close(self) -> None:
        """Runs what is already queued, then stops the worker."""
        with self._ready:
            self._is_closed = True
            self._ready.notify_all()
        self._worker.join()

    def _serve(self) -> None:
        while batch := self._next_batch():
            try:
                results = self._run(batch[0].key, [job.payload for job in batch])
                if len(results) != len(batch):
                    raise RuntimeError(f"a batch of {len(batch)} jobs gave {len(results)} results")
            except Exception as error:  # each waiting request gets the error; the worker serves on
                for job in batch:
                    job.future.set_exception(error)
            else:
                for job, result in zip(batch, results, strict=True):
                    job.future.set_result(result)

    def _next_batch(self) -> list[_Job]:
        with self._ready:
            while not self._pending and not self._is_closed:
                self._ready.wait()
            if not self._pending:
                return []
            deadline = self._pending[0].submitted + self.window_s
            while not self._is_full() and (left := deadline - time.monotonic()) > 0:
                self._ready.wait(left)
            batch = self._take(self._pending[0].key)
            self._count(batch)
            return batch

    def _count(self, batch: list[_Job]) -> None:
        self._batches += 1
        self._jobs += len(batch)
        self._items += sum(job.size for job in batch)

    def _is_full(self) -> bool:
        key = self._pending[0].key
        items = sum(job.size for job in self._pending if job.key == key)
        return self._is_closed or len(self._pending) >= self._clients or items >= self.max_items

    def _take(self, key: Hashable) -> list[_Job]:
        """The oldest key's jobs in arrival order, up to `max_items` (the first job always goes, however big)."""
        batch: list[_Job] = []
        total = 0
        for job in self._pending:
            if job.key == key and (not batch or total + job.size <= self.max_items):
                batch.append(job)
                total += job.size
        taken = {id(job) for job in batch}
        self._pending = [job for job in self._pending if id(job) not in taken]
        return batch
