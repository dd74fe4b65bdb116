from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from pose_service.api.deps import get_settings
from pose_service.core.config import Settings
from pose_service.engine.models import KEYPOINT_NAMES
from tests import photos
from tests.media_files import encode_image


def _post(client: TestClient, data: bytes, name: str = "photo.jpg", query: str = "") -> tuple[int, dict]:
    response = client.post(f"/v1/pose{query}", files={"file": (name, data, "application/octet-stream")})
    return response.status_code, response.json()


def test_multipose_is_the_default_and_finds_both_people(client: TestClient, two_people_png: bytes) -> None:
    status, body = _post(client, two_people_png, "scene.png")
    assert status == 200, body
    assert (body["model"], body["device"], body["width"], body["height"]) == ("multipose", "cpu", 1024, 512)
    people = body["people"]
    assert len(people) >= 2
    # The astronaut fills the left half of the scene, the cameraman the right half.
    noses = sorted(next(k for k in p["keypoints"] if k["name"] == "nose")["x"] for p in people[:2])
    assert noses[0] < 512 < noses[1]
    for person in people:
        assert [k["name"] for k in person["keypoints"]] == list(KEYPOINT_NAMES)
        assert 0 <= person["box"]["x_min"] <= person["box"]["x_max"] <= 1024


@pytest.mark.parametrize("model", ["lightning", "thunder"])
def test_single_pose_models_place_keypoints_in_image_pixels(
    client: TestClient, astronaut_jpeg: bytes, model: str
) -> None:
    status, body = _post(client, astronaut_jpeg, query=f"?model={model}")
    assert status == 200, body
    (person,) = body["people"]
    points = {k["name"]: k for k in person["keypoints"]}
    # Eileen Collins' face is near (220, 110) in the 512x512 photo; her shoulders are below it.
    assert 180 < points["nose"]["x"] < 260 and 80 < points["nose"]["y"] < 160
    assert points["left_shoulder"]["y"] > points["nose"]["y"] + 60


def test_blazepose_gives_33_named_landmarks_in_pixels_and_in_metres(client: TestClient, two_people_png: bytes) -> None:
    status, body = _post(client, two_people_png, "scene.png", "?model=blazepose-lite")
    assert status == 200, body
    assert body["model"] == "blazepose-lite"
    # The astronaut is found (the cameraman, in profile behind his camera, scores lower).
    person = body["people"][0]
    names = [k["name"] for k in person["keypoints"]]
    assert len(names) == 33 and names[0] == "nose" and names[-1] == "right_foot_index"
    points = {k["name"]: k for k in person["keypoints"]}
    assert 180 < points["nose"]["x"] < 260 and 80 < points["nose"]["y"] < 160
    assert all(0.0 <= k["presence"] <= 1.0 for k in person["keypoints"])
    world = {k["name"]: k for k in person["keypoints_3d"]}
    assert list(world) == names
    # Hip-centred metres, y pointing down: the nose is about half a metre above the hips.
    assert -0.9 < world["nose"]["y"] < -0.3
    assert abs(world["left_hip"]["x"] + world["right_hip"]["x"]) < 0.1


def test_movenet_people_have_no_3d_keypoints(client: TestClient, astronaut_jpeg: bytes) -> None:
    _, body = _post(client, astronaut_jpeg, query="?model=lightning")
    assert body["people"][0]["keypoints_3d"] is None
    assert body["people"][0]["keypoints"][0]["presence"] is None


def test_thresholds_filter_people(client: TestClient, astronaut_jpeg: bytes) -> None:
    status, body = _post(client, astronaut_jpeg, query="?model=lightning&min_person_score=1")
    assert (status, body["people"]) == (200, [])


@pytest.mark.parametrize(
    ("data", "query", "status", "code"),
    [
        (b"this is not an image", "", 415, "unsupported_media"),
        (b"", "", 400, "empty_upload"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "", 415, "unsupported_media"),
    ],
    ids=["not-an-image", "empty", "gif"],
)
def test_bad_uploads_get_json_client_errors(
    client: TestClient, data: bytes, query: str, status: int, code: str
) -> None:
    got_status, body = _post(client, data, query=query)
    assert (got_status, body["code"]) == (status, code), body


def test_a_truncated_jpeg_is_corrupt(client: TestClient, astronaut_jpeg: bytes) -> None:
    status, body = _post(client, astronaut_jpeg[: len(astronaut_jpeg) // 3])
    assert (status, body["code"]) == (422, "corrupt_media")


def test_an_unknown_model_is_rejected(client: TestClient, astronaut_jpeg: bytes) -> None:
    status, body = _post(client, astronaut_jpeg, query="?model=blazepose")
    assert (status, body["code"]) == (422, "invalid_request")
    assert body["detail"].startswith("query.model:")


def test_a_request_without_a_file_is_rejected(client: TestClient) -> None:
    assert client.post("/v1/pose").status_code == 422


@pytest.fixture
def small_limits(client: TestClient, settings: Settings) -> Iterator[None]:
    tight = settings.model_copy(update={"max_upload_bytes": 10_000, "max_image_pixels": 100_000})
    client.app.dependency_overrides[get_settings] = lambda: tight
    yield
    client.app.dependency_overrides.clear()


@pytest.mark.usefixtures("small_limits")
def test_uploads_over_the_byte_limit_are_refused(client: TestClient, astronaut_jpeg: bytes) -> None:
    status, body = _post(client, astronaut_jpeg)
    assert (status, body["code"]) == (413, "upload_too_large")


@pytest.mark.usefixtures("small_limits")
def test_images_over_the_pixel_limit_are_refused(client: TestClient) -> None:

    blank = encode_image(np.zeros((400, 400, 3), np.uint8), "PNG")  # tiny file, 160k pixels
    status, body = _post(client, blank, "blank.png")
    assert (status, body["code"]) == (413, "media_too_large")


def test_concurrent_requests_are_all_served(client: TestClient, astronaut_jpeg: bytes) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: _post(client, astronaut_jpeg, query="?model=lightning"), range(4)))
    assert [status for status, _ in results] == [200] * 4
    # The same image gives the same answer whatever the interleaving.
    assert all(body == results[0][1] for _, body in results)


def test_a_large_photo_is_analysed_in_its_own_pixels(client: TestClient) -> None:
    big = np.asarray(Image.fromarray(photos.astronaut()).resize((2048, 2048), Image.Resampling.BILINEAR))
    status, body = _post(client, encode_image(big, "JPEG"), query="?model=thunder")
    assert status == 200, body
    assert (body["width"], body["height"]) == (2048, 2048)
    nose = next(k for k in body["people"][0]["keypoints"] if k["name"] == "nose")
    # Four times the 512x512 photo's (220, 110): coordinates are mapped back past the decode-time shrink.
    assert 720 < nose["x"] < 1040 and 320 < nose["y"] < 640


def test_two_files_in_one_upload_are_refused_naming_the_fields(client: TestClient, astronaut_jpeg: bytes) -> None:
    files = [("file", ("a.jpg", astronaut_jpeg, "image/jpeg")), ("extra", ("b.jpg", astronaut_jpeg, "image/jpeg"))]
    response = client.post("/v1/pose", files=files)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert "'file', 'extra'" in response.json()["detail"]


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "multipart/form-data; boundary=other"], ids=["no-boundary", "wrong"]
)
def test_malformed_multipart_is_a_400(client: TestClient, content_type: str) -> None:
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nxx\r\n--b--\r\n'
    response = client.post("/v1/pose", content=body, headers={"content-type": content_type})
    assert response.status_code in (400, 422), response.text
    assert response.status_code == 400 or response.json()["detail"][0]["loc"] == ["body", "file"]


def test_health_reports_the_inference_queue(client: TestClient) -> None:
    inference = client.get("/health").json()["inference"]
    assert inference["max_active"] >= 1 and inference["active"] == 0 and inference["queued"] == 0
