"""Device batches in a few fixed sizes (buckets): a batch is padded up to the next bucket and the padded rows'
outputs are dropped, so a GPU sees at most len(BUCKETS) shapes per graph, each warmed once at load.

cuDNN picks its kernels once per new input shape (cudnn.benchmark is off, and still each new shape costs a
plan), and the cross-request batcher makes the batch size vary from one device call to the next: without the
buckets a service pays that cost again and again while its traffic shifts (issue 12; the README has the H200
figures). Rows never mix in these graphs (convolutions, element-wise maths, per-item tails), so the rows of a
padded run are the rows of the unpadded one.
"""

from __future__ import annotations

import torch

from pose_service.engine.executor import GraphExecutor

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
    """executor.run(images), in bucket-sized device calls: each output has exactly len(images) rows."""
    largest = buckets[-1]
    chunks = []
    for start in range(0, len(images), largest):
        chunk = images[start : start + largest]
        outputs = executor.run(pad_rows(chunk, bucket_for(len(chunk), buckets)))
        chunks.append([output[: len(chunk)] for output in outputs])
    if len(chunks) == 1:
        return chunks[0]
    return [torch.cat(parts) for parts in zip(*chunks, strict=True)]


def warm_up(executor: GraphExecutor, max_batch: int, buckets: tuple[int, ...] = BUCKETS) -> list[int]:
    """Runs every bucket up to the one `max_batch` rows fall in, once, so no request pays for a shape's first
    call. Returns the batch sizes warmed (none for max_batch 0, or a graph whose input size is not fixed)."""
    shape = executor.input_shape
    if max_batch < 1 or not shape or any(d < 1 for d in shape[1:]):
        return []
    sizes = [b for b in buckets if b <= bucket_for(max_batch, buckets)]
    for size in sizes:
        executor.run(torch.zeros(size, *shape[1:], dtype=executor.input_dtype))
    if executor.device.type == "cuda":
        torch.cuda.synchronize(executor.device)
    return sizes
