"""Request-body limits enforced before FastAPI reads the body (pure ASGI, so nothing is buffered first).

- A declared Content-Length over the limit is refused with 413 before a byte of the body is read.
- A body that streams past the limit (chunked, or a lying Content-Length) is cut off at the limit with 413.
- A body that does not arrive within `timeout_s` (slow or stalled client) is answered 408 and the connection
  closed, so a slow upload holds a connection for seconds, not minutes.

The answer is sent from here and the app then sees a disconnect: FastAPI would turn an exception raised while
it parses the form into a generic 400, which would hide the reason.
"""

from __future__ import annotations

import asyncio
import json
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


async def _send_error(send: Send, status: int, code: str, detail: str) -> None:
    body = json.dumps({"code": code, "detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_error(
                send,
                413,
                "upload_too_large",
                f"the request body is {int(declared)} bytes, more than the limit of {self.max_bytes}",
            )
            return

        deadline = time.monotonic() + self.timeout_s
        received = 0
        is_body_complete = False
        is_answered = False

        async def limited_receive() -> Message:
            nonlocal received, is_body_complete, is_answered
            if is_answered:
                return {"type": "http.disconnect"}
            if is_body_complete:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                is_answered = True
                await _send_error(
                    send, 408, "upload_timeout", f"the request body did not arrive within {self.timeout_s:g} s"
                )
                return {"type": "http.disconnect"}
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                is_body_complete = not message.get("more_body", False)
                if received > self.max_bytes:
                    is_answered = True
                    await _send_error(
                        send,
                        413,
                        "upload_too_large",
                        f"the request body is more than the limit of {self.max_bytes} bytes",
                    )
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            # Once this middleware has answered, whatever the app sends after the disconnect is dropped.
            if not is_answered:
                await send(message)

        await self.app(scope, limited_receive, guarded_send)
