"""An executor's runs at fixed batch sizes, recorded once as CUDA graphs and replayed after.

Why (issue 12, measured on an H200 with torch 2.11 and cuDNN 9.19): the first run of a BlazePose graph at a new
batch size costs 3.5-7 s, and PyTorch keeps cuDNN's plans per thread, so each thread that meets a shape pays again.
A captured graph holds the kernels cuDNN chose, with their arguments, so a replay asks cuDNN nothing: any thread can
replay it at no first-call cost, and it launches the whole graph at once instead of a few hundred kernels from
Python. The capture itself pays the first-call cost once, on the thread that captures (the estimator captures the
buckets of engine/buckets.py on a thread of its own, so no request waits for it).

Replays of one executor share its static buffers, so they are serialised by a lock, run on the device's default
stream (the one every request thread uses, so the GPU runs them in the order they were queued), and return copies
of the outputs. The graphs of one executor share one memory pool: they never run at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import torch

Run = Callable[[torch.Tensor], list[torch.Tensor]]


@dataclass(frozen=True)
class _Captured:
    graph: torch.cuda.CUDAGraph
    static_input: torch.Tensor
    static_outputs: list[torch.Tensor]


class CapturedRuns:
    """CUDA graphs of `run` (an executor's inner run, called under its numerics) at the batch sizes captured."""

    def __init__(self, run: Run, device: torch.device, input_shape: tuple[int, ...], input_dtype: torch.dtype) -> None:
        if device.type != "cuda":
            raise ValueError(f"CUDA graphs need a CUDA device, not {device}")
        self._run = run
        self._device = device
        self._input_shape = input_shape
        self._input_dtype = input_dtype
        self._graphs: dict[int, _Captured] = {}
        self._lock = threading.Lock()
        self._pool: tuple[int, int] | None = None

    @property
    def sizes(self) -> frozenset[int]:
        """The batch sizes a replay serves (captured ones only: a failed capture leaves its size out)."""
        return frozenset(self._graphs)

    def capture(self, batch_size: int, warm_runs: int = 2) -> None:
        """Records a run at `batch_size` rows. Raises what the capture raised (an op that syncs with the host, say);
        nothing is kept then, and runs at that size stay eager."""
        if batch_size in self._graphs:
            return
        static_input = torch.zeros(batch_size, *self._input_shape[1:], dtype=self._input_dtype, device=self._device)
        # Eager runs first, on a side stream as torch's capture needs: they pay cuDNN's planning for this shape (on
        # this thread) and any lazy initialisation, neither of which may happen inside the capture.
        stream = torch.cuda.Stream(self._device)
        stream.wait_stream(torch.cuda.current_stream(self._device))
        with torch.cuda.stream(stream):
            for _ in range(warm_runs):
                self._run(static_input)
        torch.cuda.current_stream(self._device).wait_stream(stream)
        graph = torch.cuda.CUDAGraph()
        pool = self._pool or torch.cuda.graph_pool_handle()
        # thread_local: requests keep running on other threads while this one captures.
        with torch.cuda.graph(graph, pool=pool, stream=stream, capture_error_mode="thread_local"):
            static_outputs = self._run(static_input)
        torch.cuda.synchronize(self._device)
        with self._lock:
            self._pool = pool
            self._graphs[batch_size] = _Captured(graph, static_input, list(static_outputs))

    def replay(self, images: torch.Tensor) -> list[torch.Tensor] | None:
        """The outputs for `images` from the graph of its batch size, or None where none serves it (no graph of
        that size, or a caller on another stream than the default one, whose order the lock could not keep)."""
        captured = self._graphs.get(images.shape[0])
        if captured is None or torch.cuda.current_stream(self._device) != torch.cuda.default_stream(self._device):
            return None
        with self._lock:
            captured.static_input.copy_(images)
            captured.graph.replay()
            return [output.clone() for output in captured.static_outputs]
