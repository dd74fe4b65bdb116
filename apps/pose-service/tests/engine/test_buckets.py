from __future__ import annotations

from pathlib import Path

import pytest
import torch

from pose_service.engine.buckets import BUCKETS, bucket_for, pad_rows, run_bucketed, warm_up
from pose_service.engine.executor import GraphExecutor
from pose_service.engine.models import ModelName, load_models

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def blazepose(model_dir: Path) -> tuple[GraphExecutor, GraphExecutor]:
    """The lite landmark graph and the detector, on the CPU."""
    loaded = load_models([ModelName.blazepose_lite], model_dir, CPU)[ModelName.blazepose_lite]
    assert loaded.detector is not None
    return loaded.executor, loaded.detector


def _images(executor: GraphExecutor, count: int) -> torch.Tensor:
    _, height, width, channels = executor.input_shape
    return torch.rand(count, height, width, channels, generator=torch.Generator().manual_seed(count))


@pytest.mark.parametrize(("count", "bucket"), [(1, 1), (2, 2), (3, 4), (5, 8), (33, 64), (64, 64), (200, 64)])
def test_a_batch_goes_up_to_the_next_bucket_and_past_the_largest_in_chunks_of_it(count: int, bucket: int) -> None:
    assert BUCKETS == (1, 2, 4, 8, 16, 32, 64)
    assert bucket_for(count) == bucket


def test_an_empty_batch_has_no_bucket() -> None:
    with pytest.raises(ValueError, match="at least one row, not 0"):
        bucket_for(0)


def test_padding_repeats_the_last_row_and_leaves_full_batches_alone() -> None:
    rows = torch.arange(3.0)[:, None, None, None].expand(3, 2, 2, 1)
    padded = pad_rows(rows, 4)
    assert padded.shape == (4, 2, 2, 1)
    assert torch.equal(padded[:3], rows) and torch.equal(padded[3], rows[2])
    assert pad_rows(rows, 3) is rows


@pytest.mark.parametrize("count", [3, 5])
def test_bucketed_runs_give_exactly_the_real_rows_of_the_padded_run_and_the_outputs_of_unpadded_runs(
    blazepose: tuple[GraphExecutor, GraphExecutor], count: int
) -> None:
    for executor in blazepose:
        images = _images(executor, count)
        bucketed = run_bucketed(executor, images)
        padded = executor.run(pad_rows(images, bucket_for(count)))
        unpadded = executor.run(images)
        assert [tuple(o.shape) for o in bucketed] == [tuple(o.shape) for o in unpadded]
        for key, got, whole, expected in zip(executor.output_keys, bucketed, padded, unpadded, strict=True):
            # The padded rows are dropped and nothing else changes.
            assert torch.equal(got, whole[:count]), key
            # Rows never mix, so they are the unpadded run's; the CPU kernels may round a batch of 3 and one of 4
            # apart (seen on a 16-core host: activation_heatmap), hence float32's closeness rather than equality.
            torch.testing.assert_close(got, expected, msg=key)


def test_a_batch_over_the_largest_bucket_runs_in_chunks_and_keeps_its_order(
    blazepose: tuple[GraphExecutor, GraphExecutor],
) -> None:
    landmarks, _ = blazepose
    images = _images(landmarks, 7)
    # Buckets (1, 2, 4): 7 rows run as 4, then 3 padded to 4.
    chunked = run_bucketed(landmarks, images, (1, 2, 4))
    first, second = landmarks.run(images[:4]), landmarks.run(pad_rows(images[4:], 4))
    whole = landmarks.run(images)
    for key, got, a, b, expected in zip(landmarks.output_keys, chunked, first, second, whole, strict=True):
        assert got.shape[0] == 7, key
        assert torch.equal(got, torch.cat([a, b[:3]])), key
        torch.testing.assert_close(got, expected, msg=key)


def test_warm_up_runs_every_bucket_up_to_the_largest_batch(blazepose: tuple[GraphExecutor, GraphExecutor]) -> None:
    landmarks, detector = blazepose
    assert warm_up(landmarks, 3) == [1, 2, 4]
    assert warm_up(detector, 1) == [1]
    assert warm_up(detector, 0) == []
    assert warm_up(landmarks, 3, (1, 8)) == [1, 8]


def test_a_graph_of_free_input_size_is_not_warmed(model_dir: Path) -> None:
    multipose = load_models([ModelName.multipose], model_dir, CPU)[ModelName.multipose].executor
    assert warm_up(multipose, 64) == []
