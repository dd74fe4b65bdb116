from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from pose_service.core.config import Settings
from pose_service.main import create_app


@pytest.fixture(scope="module")
def anonymous(settings: Settings) -> TestClient:
    # No lifespan: authentication is decided before any route needs the models.
    return TestClient(create_app(settings))


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/health"), ("GET", "/v1/models"), ("POST", "/v1/pose"), ("POST", "/v1/pose/video")]
)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic dXNlcjpwYXNz"])
def test_every_route_refuses_calls_without_the_service_token(
    anonymous: TestClient, method: str, path: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = anonymous.request(method, path, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_validation_errors_are_error_public(client: TestClient, astronaut_jpeg: bytes) -> None:
    response = client.post("/v1/pose?min_person_score=7", files={"file": ("a.jpg", astronaut_jpeg, "image/jpeg")})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "detail"} and body["code"] == "invalid_request"
    assert "min_person_score" in body["detail"]


def test_unknown_paths_answer_in_the_same_shape(client: TestClient) -> None:
    response = client.get("/nope")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_swagger_ui_is_served_from_the_service_itself(anonymous: TestClient) -> None:
    page = anonymous.get("/docs")
    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    bundle = anonymous.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
