from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from pose_service.engine.executor import GraphExecutor, InputShapeError, UnsupportedOpError, releases_after
from pose_service.engine.graph import Graph, Node, load_graph


def _conv_graph(op: str, padding: str, filter_shape: tuple[int, ...]) -> Graph:
    """input [-1, 8, 8, 2] -> one convolution: the smallest graph that reaches the load-time checks."""
    nodes = {
        "input": Node("input", "Placeholder", (), {"dtype": "DT_FLOAT"}),
        "filter": Node("filter", "Const", ()),
        "conv": Node("conv", op, (("input", 0), ("filter", 0)), {"padding": padding, "strides": [1, 1, 1, 1]}),
    }
    return Graph(
        nodes=nodes,
        constants={"filter": np.ones(filter_shape, np.float32)},
        input_name="input",
        input_shape=(-1, 8, 8, 2),
        input_dtype="DT_FLOAT",
        output_names=("conv",),
        output_keys=("out",),
    )


def test_a_same_convolution_runs_and_keeps_the_batch() -> None:
    executor = GraphExecutor(_conv_graph("Conv2D", "SAME", (3, 3, 2, 4)), torch.device("cpu"))
    (out,) = executor.run(torch.ones(3, 8, 8, 2))
    assert out.shape == (3, 8, 8, 4)
    assert float(out[0, 4, 4, 0]) == 18.0  # 3x3 window x 2 channels of ones
    assert float(out[0, 0, 0, 0]) == 8.0  # the corner sees 2x2 of the image, the rest is zero padding


def test_explicit_padding_is_refused_when_the_graph_loads() -> None:
    with pytest.raises(UnsupportedOpError, match=r"node 'conv' \(Conv2D\): padding 'EXPLICIT' is not supported"):
        GraphExecutor(_conv_graph("Conv2D", "EXPLICIT", (3, 3, 2, 4)), torch.device("cpu"))


def test_a_depthwise_channel_multiplier_other_than_one_is_refused_when_the_graph_loads() -> None:
    with pytest.raises(UnsupportedOpError, match=r"channel multiplier 2 is not supported"):
        GraphExecutor(_conv_graph("DepthwiseConv2dNative", "SAME", (3, 3, 2, 2)), torch.device("cpu"))


@pytest.mark.parametrize("shape", [(1, 8, 9, 2), (8, 8, 2), (2, 8, 8, 3), (0, 8, 8, 2)])
def test_run_names_the_input_and_the_shape_it_takes(shape: tuple[int, ...]) -> None:
    executor = GraphExecutor(_conv_graph("Conv2D", "VALID", (1, 1, 2, 1)), torch.device("cpu"))
    with pytest.raises(
        InputShapeError,
        match=rf"input 'input': got shape \[{', '.join(map(str, shape))}\], the graph takes \[N, 8, 8, 2\]",
    ):
        executor.run(torch.zeros(shape))


def test_every_intermediate_is_released_once_right_after_its_last_reader(model_dir: Path) -> None:
    executor = GraphExecutor(load_graph(model_dir / "blazepose-lite.json"), torch.device("cpu"))
    steps, releases = executor._batch_steps, executor._batch_releases
    released = [ref for refs in releases for ref in refs]
    assert len(released) == len(set(released))
    for index, refs in enumerate(releases):
        for ref in refs:
            assert ref in steps[index].inputs
            assert all(ref not in later.inputs for later in steps[index + 1 :])
    outputs = set(executor._outputs)
    produced = {(s.node.name, 0) for s in steps}
    # What is not released is what run() returns (this graph has no per-item tail).
    assert produced - set(released) - outputs == set()
    assert not outputs & set(released)


def test_releases_keep_what_is_asked_for() -> None:
    graph = _conv_graph("Conv2D", "SAME", (1, 1, 2, 1))
    executor = GraphExecutor(graph, torch.device("cpu"))
    weights = ("filter", 0)
    assert releases_after(executor._batch_steps, keep={weights}) == [(("input", 0),)]
    assert releases_after(executor._batch_steps, keep={weights, ("input", 0)}) == [()]
