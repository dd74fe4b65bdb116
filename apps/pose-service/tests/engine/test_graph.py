from __future__ import annotations

import numpy as np
import pytest

from pose_service.engine.graph import GraphFormatError, decode_attr, decode_weights, parse_input_ref


def test_input_refs_name_the_output_and_drop_control_inputs() -> None:
    assert parse_input_ref("conv") == ("conv", 0)
    assert parse_input_ref("unstack:1") == ("unstack", 1)
    assert parse_input_ref("^init") is None


def test_attrs_decode_base64_strings_and_integer_lists() -> None:
    assert decode_attr({"s": "TkhXQw=="}) == "NHWC"
    assert decode_attr({"list": {"s": ["Qmlhc0FkZA==", "UmVsdTY="]}}) == ["BiasAdd", "Relu6"]
    assert decode_attr({"list": {"i": ["1", "2", "2", "1"]}}) == [1, 2, 2, 1]
    assert decode_attr({"i": "3"}) == 3


def test_weights_are_packed_without_alignment_and_float16_decodes_exactly() -> None:
    halves = np.array([1.5, 6.0e-8, -2.0], dtype="<f2")  # 6e-8 is subnormal in float16
    ints = np.array([7, -3], dtype="<i4")
    manifest = [
        {"name": "f", "shape": [3], "dtype": "float32", "quantization": {"dtype": "float16"}},
        {"name": "i", "shape": [2], "dtype": "int32"},  # starts at byte 6: not 4-aligned
    ]
    weights = decode_weights(manifest, halves.tobytes() + ints.tobytes())
    assert weights["f"].dtype == np.float32
    np.testing.assert_array_equal(weights["f"], halves.astype(np.float32))
    np.testing.assert_array_equal(weights["i"], [7, -3])


def test_a_shard_of_the_wrong_length_is_rejected() -> None:
    manifest = [{"name": "i", "shape": [2], "dtype": "int32"}]
    with pytest.raises(GraphFormatError, match="8 bytes but the shard holds 12"):
        decode_weights(manifest, bytes(12))
