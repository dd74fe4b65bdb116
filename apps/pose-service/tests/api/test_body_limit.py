"""Body limits against a real uvicorn server on loopback: raw sockets, so the test controls what is sent when."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from pose_service.core.config import Settings
from scripts.benchmark import start_server


@pytest.fixture(scope="module")
def server_address(settings: Settings) -> Iterator[tuple[str, int]]:
    tight = settings.model_copy(update={"max_upload_bytes": 100_000, "body_timeout_s": 1.0})
    server, thread, url = start_server(tight)
    host, port = url.removeprefix("http://").split(":")
    yield host, int(port)
    server.should_exit = True
    thread.join(timeout=30)


def _exchange(address: tuple[str, int], head: bytes, body: bytes = b"", wait_s: float = 10) -> tuple[bytes, float]:
    started = time.monotonic()
    with socket.create_connection(address, timeout=wait_s) as connection:
        connection.sendall(head + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer, time.monotonic() - started


def _head(length: int | None, boundary: str = "b") -> bytes:
    framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    return (
        f"POST /v1/pose HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
        f"{framing}\r\n\r\n"
    ).encode()


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(server_address) -> None:
    answer, seconds = _exchange(server_address, _head(200 * 1024 * 1024))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"upload_too_large" in answer and b"more than the limit" in answer
    assert seconds < 5


def test_a_streamed_body_past_the_limit_is_cut_off(server_address) -> None:
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'
    chunks = [part, *[b"x" * 60_000] * 4]
    chunked = b"".join(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for chunk in chunks) + b"0\r\n\r\n"
    answer, _ = _exchange(server_address, _head(None), chunked)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_stalled_body_gets_408_after_the_body_timeout(server_address) -> None:
    answer, seconds = _exchange(server_address, _head(1000), b"--b\r\n")
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"upload_timeout" in answer
    assert seconds < 5  # POSE_BODY_TIMEOUT_S is 1 s here
