"""Recordings out of a request: multipart form fields or the raw body, read in memory only.

Starlette's form parser spools files over 1 MB to a temporary file on disk; a voice must never
touch the disk, so the body (already capped by the body-size middleware) is parsed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from notalabel.text import single_line_problem
from notalabel.voice.exceptions import AudioMissing, UnsupportedAudio

RAW_TYPES = ("audio/", "application/octet-stream")
MAX_PARTS = 8


@dataclass(frozen=True, slots=True)
class Upload:
    """The files (by field name, in order) and the plain fields of one request."""

    files: dict[str, list[bytes]] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)

    def files_named(self, *names: str) -> list[bytes]:
        """Every file sent under any of `names`, in the order sent."""
        return [data for name in names for data in self.files.get(name, [])]


async def read_upload(request: Request, raw_field: str) -> Upload:
    """Parse the body: multipart/form-data, or one raw recording filed under `raw_field`."""
    content_type = request.headers.get("content-type", "").lower()
    body = await request.body()
    if content_type.startswith("multipart/form-data"):
        return _multipart(request.headers["content-type"], body)
    if content_type.startswith(RAW_TYPES):
        return Upload(files={raw_field: [body]} if body else {})
    raise UnsupportedAudio(
        "Send the recording as the request body (Content-Type audio/wav, audio/flac or "
        "audio/ogg) or as multipart/form-data."
    )


def _multipart(content_type: str, body: bytes) -> Upload:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise AudioMissing("The multipart body could not be read: no parts were found.")
    parts = list(message.iter_parts()) if hasattr(message, "iter_parts") else []
    if len(parts) > MAX_PARTS:
        raise AudioMissing(f"Send at most {MAX_PARTS} form fields.")
    upload = Upload()
    for part in parts:
        name = _field_name(part)
        if name is None:
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if part.get_filename() is not None or part.get_content_maintype() in (
            "audio",
            "application",
        ):
            upload.files.setdefault(name, []).append(data)
        else:
            upload.fields[name] = data.decode("utf-8", errors="replace").strip()
    # form fields follow the one character rule of bodies, paths and queries (422, never 500)
    texts = [(name, name) for name in (*upload.files, *upload.fields)]
    texts += list(upload.fields.items())
    problems = [
        {"loc": ("body", name), "msg": problem, "type": "control_character"}
        for name, text in texts
        if (problem := single_line_problem(text)) is not None
    ]
    if problems:
        raise RequestValidationError(problems)
    return upload


def _field_name(part: Message) -> str | None:
    disposition = part.get("content-disposition", "")
    if not str(disposition).lower().startswith("form-data"):
        return None
    name = part.get_param("name", header="content-disposition")
    return name if isinstance(name, str) else None
