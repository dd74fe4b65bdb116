"""Device batches in a few fixed sizes (buckets): a batch is padded up to the next bucket and the padded rows'
outputs are dropped, so a GPU sees at most len(BUCKETS) shapes per graph, which warm_up records as CUDA graphs.

Why (issue 12, measured with scripts/benchmark_batch_shapes.py): on an H200 with torch 2.11 and cuDNN 9.19, the
first call of a graph at a new batch size took 3.5-7 s (cudnn.benchmark off or on alike) against 5-13 ms after;
and PyTorch keeps its cuDNN plans per thread, so every new thread pays that again for every shape. The
cross-request batcher made the batch size vary freely, so a service kept paying it. A bucket's CUDA graph
(engine/cuda_graphs.py) pays it once, on the capturing thread, and then serves every thread. Rows never mix in
these graphs (convolutions, element-wise maths, per-item tails), so a padded run's rows are the unpadded run's, up
to the rounding of a kernel chosen for the other batch size.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import torch

from pose_service.engine.executor import GraphExecutor

logger = logging.getLogger(__name__)

BUCKETS = (1, 2, 4, 8, 16, 32, 64)


def bucket_for(count: int, buckets: tuple[int, ...] = BUCKETS) -> int:
    """The smallest bucket that holds `count` rows (a count over the largest is run in chunks of the largest)."""
    if count < 1:
        raise ValueError(f"a batch holds at least one row, not {count}")
    return next((b for b in buckets if b >= count), buckets[-1])


def pad_rows(images: torch.Tensor, size: int) -> torch.Tensor:
    """`images` with its last row repeated up to `size` rows (a real input: no NaN or unusual path in padding)."""
    missing = size - len(images)
    if missing <= 0:
        return images
    return torch.cat([images, images[-1:].expand(missing, *images.shape[1:])])


def run_bucketed(
    executor: GraphExecutor, images: torch.Tensor, buckets: tuple[int, ...] = BUCKETS
) -> list[torch.Tensor]:
    """executor.run(images), in bucket-sized device calls: each output has exactly len(images) rows.

    Once some buckets are captured as CUDA graphs, only those are used (a larger batch runs in chunks of the
    largest captured one) until the rest are: a warm-up still under way never makes a request pay a first call."""
    captured = tuple(b for b in buckets if b in executor.captured_sizes)
    buckets = captured or buckets
    largest = buckets[-1]
    chunks = []
    for start in range(0, len(images), largest):
        chunk = images[start : start + largest]
        outputs = executor.run(pad_rows(chunk, bucket_for(len(chunk), buckets)))
        chunks.append([output[: len(chunk)] for output in outputs])
    if len(chunks) == 1:
        return chunks[0]
    return [torch.cat(parts) for parts in zip(*chunks, strict=True)]


def warm_up(
    executor: GraphExecutor,
    max_batch: int,
    buckets: tuple[int, ...] = BUCKETS,
    keep_going: Callable[[], bool] = lambda: True,
) -> list[int]:
    """Every bucket up to the one `max_batch` rows fall in, smallest first, so no request pays for a shape's first
    call: captured as a CUDA graph where the executor can be (then any thread replays it), else run once. Returns
    the batch sizes warmed (none for max_batch 0, or a graph whose input size is not fixed). A capture that fails
    is logged and its size left out: runs of that size stay eager, and correct. `keep_going` is asked before each
    bucket (a service shutting down stops after the capture under way)."""
    shape = executor.input_shape
    if max_batch < 1 or not shape or any(d < 1 for d in shape[1:]):
        return []
    warmed = []
    for size in (b for b in buckets if b <= bucket_for(max_batch, buckets)):
        if not keep_going():
            break
        if not executor.can_capture:
            executor.run(torch.zeros(size, *shape[1:], dtype=executor.input_dtype))
        else:
            try:
                executor.capture(size)
            except Exception:  # an op that cannot be captured: say which graph and size, serve it eagerly
                logger.exception("input %r: capturing batch %d as a CUDA graph failed", executor.input_name, size)
                continue
        warmed.append(size)
    return warmed
