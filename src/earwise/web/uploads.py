"""A user's own measurement or target arrives as the raw request body (text/csv or text/plain),
never as a server path. The body is read with a cap (Content-Length is checked by the
middleware; a streamed body is counted here) and errors never echo its content."""

from __future__ import annotations

from fastapi import Request

from earwise.core.errors import EarwiseError
from earwise.service.requests import MeasurementUpload
from earwise.web.errors import PayloadTooLarge
from earwise.web.middleware import MAX_UPLOAD_BYTES

DEFAULT_LABEL = "your measurement"


async def read_body(request: Request, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The request body, refused (413) as soon as it passes ``limit`` bytes."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the measurement is over {limit:,} bytes", "file")
        chunks.append(chunk)
    return b"".join(chunks)


async def measurement_uploads(
    request: Request, label: str | None
) -> tuple[MeasurementUpload, MeasurementUpload | None]:
    """(measurement, your own target or None). A JSON body ``{"measurement": TEXT, "target":
    TEXT}`` carries both; any other body is the measurement alone."""
    ctype = request.headers.get("content-type", "").lower()
    if not ctype.startswith("application/json"):
        return await measurement_upload(request, label), None
    import json

    body = await read_body(request)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise EarwiseError("the JSON body does not parse", "file") from None
    if not isinstance(data, dict) or not isinstance(data.get("measurement"), str):
        raise EarwiseError('the JSON body needs "measurement" (text) and may have "target"', "file")
    target = data.get("target")
    if target is not None and not isinstance(target, str):
        raise EarwiseError('"target" must be the text of a target curve', "target")
    name = label if label is not None and label.strip() else DEFAULT_LABEL
    measurement = MeasurementUpload(text=data["measurement"], name=name)
    if target is None:
        return measurement, None
    if not target.strip():
        raise EarwiseError("the target is empty", "target")
    return measurement, MeasurementUpload(text=target, name="your target")


async def measurement_upload(request: Request, label: str | None) -> MeasurementUpload:
    """The body as a :class:`MeasurementUpload` labelled ``label``."""
    ctype = request.headers.get("content-type", "").lower()
    if ctype.startswith("multipart/") or ctype.startswith("application/x-www-form-urlencoded"):
        raise EarwiseError(
            "send the measurement as the raw request body (text/csv or text/plain), not a form",
            "file",
        )
    body = await read_body(request)
    if b"\x00" in body:
        raise EarwiseError("the measurement is not text (it contains NUL bytes)", "file")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EarwiseError("the measurement is not UTF-8 text", "file") from None
    name = label if label is not None and label.strip() else DEFAULT_LABEL
    return MeasurementUpload(text=text, name=name)
