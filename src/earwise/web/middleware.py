"""The outermost ASGI layer: size limits, HEAD for every GET, security headers on every response.

Pure ASGI (cheaper than an HTTP-middleware wrapper on the hot path). :func:`earwise.web.app.
create_app` wraps the whole Starlette stack in it, so even the last-resort 500 carries the headers.
"""

from __future__ import annotations

import json

MAX_PATH_BYTES = 2 * 1024
MAX_QUERY_BYTES = 8 * 1024
MAX_BODY_BYTES = 64 * 1024
MAX_UPLOAD_BYTES = 1024 * 1024  # judgement: the largest AutoEq CSV is ~200 KB
UPLOAD_PATHS = frozenset({"/api/analyze", "/api/eq"})
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def body_limit(method: str, path: str) -> int:
    """How many request-body bytes a route accepts (uploads get more than everything else)."""
    return MAX_UPLOAD_BYTES if method == "POST" and path in UPLOAD_PATHS else MAX_BODY_BYTES


class LimitsAndHeaders:
    """Refuse oversized paths (414), query strings (414) and bodies (413); answer HEAD as GET
    without the body; add the security headers to every response, errors included."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        send = self._with_headers(send)
        if scope.get("method") == "HEAD":
            scope = dict(scope, method="GET")
            send = self._without_body(send)
        problem = self._problem(scope)
        if problem:
            status, message = problem
            return await _send_json(send, status, {"detail": message})
        return await self.app(scope, receive, send)

    @staticmethod
    def _problem(scope) -> tuple[int, str] | None:
        path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogatepass")
        if len(path) > MAX_PATH_BYTES:
            return 414, f"URL path over {MAX_PATH_BYTES} bytes"
        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
            return 414, f"query string over {MAX_QUERY_BYTES} bytes"
        limit = body_limit(scope.get("method", ""), scope.get("path", ""))
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                if not value.isdigit():
                    return 400, "invalid Content-Length"
                if int(value) > limit:
                    return 413, f"request body over {limit} bytes"
        return None

    @staticmethod
    def _with_headers(send):
        async def wrapped(message):
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] not in _HEADER_NAMES]
                message = dict(message, headers=headers + SECURITY_HEADERS)
            await send(message)

        return wrapped

    @staticmethod
    def _without_body(send):
        async def wrapped(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        return wrapped


_HEADER_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


async def _send_json(send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"),
                        (b"content-length", str(len(data)).encode())],
        }
    )  # fmt: skip
    await send({"type": "http.response.body", "body": data})
