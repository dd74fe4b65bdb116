from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests import photos

# The whole endpoint needs PyAV; the GPU benchmark host runs without it (the image always has it).
pytest.importorskip("av", reason="PyAV is not installed here")
from tests.media_files import crossing_frames, encode_video, panning_frames


def _post(client: TestClient, data: bytes, name: str, query: str = "") -> tuple[int, dict]:
    response = client.post(f"/v1/pose/video{query}", files={"file": (name, data, "application/octet-stream")})
    return response.status_code, response.json()


@pytest.mark.parametrize("container", ["mp4", "webm"])
def test_people_keep_their_track_ids_across_frames(
    client: TestClient, container: str, two_people_mp4: bytes, two_people_webm: bytes
) -> None:
    data = {"mp4": two_people_mp4, "webm": two_people_webm}[container]
    status, body = _post(client, data, f"clip.{container}")
    assert status == 200, body
    assert (body["frame_count"], body["fps"], body["width"], body["height"]) == (6, 10.0, 256, 128)
    assert [f["index"] for f in body["frames"]] == list(range(6))
    # Two people throughout: the same two ids in every frame, the left one always left.
    ids_per_frame = [
        [p["track_id"] for p in sorted(f["people"][:2], key=lambda p: p["box"]["x_min"])] for f in body["frames"]
    ]
    assert all(ids == ids_per_frame[0] for ids in ids_per_frame), ids_per_frame
    assert len(set(ids_per_frame[0])) == 2


def test_two_people_who_cross_keep_their_ids_in_3d(client: TestClient) -> None:
    frames = crossing_frames()  # 12 frames; the one in front hides the other in the middle ones
    status, body = _post(client, encode_video(frames, "mp4"), "crossing.mp4", "?model=blazepose-lite")
    assert status == 200, body
    first, last = body["frames"][0]["people"], body["frames"][-1]["people"]
    assert len(first) == len(last) == 2
    left_then = min(first, key=lambda p: p["box"]["x_min"])["track_id"]
    right_then = max(first, key=lambda p: p["box"]["x_min"])["track_id"]
    # They swapped sides, each keeping the id it started with; no third id for the one that was hidden.
    assert max(last, key=lambda p: p["box"]["x_min"])["track_id"] == left_then
    assert min(last, key=lambda p: p["box"]["x_min"])["track_id"] == right_then
    assert body["track_count"] == 2
    assert all(len(p["keypoints_3d"]) == 33 for f in body["frames"] for p in f["people"])


def test_too_many_frames_are_refused(client: TestClient) -> None:
    frames = panning_frames(photos.astronaut(), count=13, width=64, height=64, step=4)  # the test limit is 12
    status, body = _post(client, encode_video(frames, "mp4"), "long.mp4")
    assert (status, body["code"]) == (413, "too_many_frames")


def test_an_image_is_not_a_video(client: TestClient, two_people_png: bytes) -> None:
    status, body = _post(client, two_people_png, "scene.mp4")
    assert (status, body["code"]) == (415, "unsupported_media")


def test_a_truncated_video_is_corrupt_or_shorter(client: TestClient, two_people_mp4: bytes) -> None:
    # mp4 keeps its index at the end: cut it and the container cannot be read at all.
    status, body = _post(client, two_people_mp4[: len(two_people_mp4) // 2], "cut.mp4")
    assert status in (415, 422), body
    assert body["code"] in ("unsupported_media", "corrupt_media")


def test_an_empty_video_upload_is_refused(client: TestClient) -> None:
    status, body = _post(client, b"", "empty.webm")
    assert (status, body["code"]) == (400, "empty_upload")
