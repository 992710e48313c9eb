"""Reading an upstream answer's body within limits, whatever the upstream sends.

An answer is read through :class:`Body`, which decompresses as it goes and stops at
the first breach of its :class:`BodyLimits`: more decompressed bytes than allowed (a
5 MB gzip answer can grow to 10 GB), JSON nested deeper than allowed (a parser's
memory or stack grows with depth), a JSON string longer than allowed, or an attempt
outlasting its deadline (a server dripping one byte a second). The JSON checks run
on the raw bytes as they stream, before any parser sees them, at C speed (regular
expressions and ``bytes.translate``), so a streaming parser such as ijson is
protected too.

A breach of a size limit is a :class:`PayloadError` naming the endpoint and the
limit, never the content. A body that breaks off or outlasts its deadline raises
:class:`BrokenAnswer`, which the HTTP client retries like a reset when it can.
"""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Protocol

import ijson

from framework.host.errors import PayloadError

MIB = 1024 * 1024
CHUNK = 64 * 1024
"""Largest piece read at once (decompressed)."""
RECURSION_SAFE_DEPTH = 200
"""Deepest JSON handed to the standard library's recursive parser; deeper bodies are built iteratively."""


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """What one endpoint's answer may hold. Plugins declare them per endpoint; the defaults fit
    answers parsed whole into memory. Sizes are bytes, of the decompressed body."""

    max_bytes: int = 64 * MIB
    max_depth: int = 100
    """Deepest JSON nesting (each object or array is one level)."""
    max_string_bytes: int = 4 * MIB
    """Longest JSON string (key or value), escapes counted as sent. At least :data:`CHUNK`."""

    def __post_init__(self) -> None:
        if self.max_string_bytes < CHUNK:
            raise ValueError(f"max_string_bytes must be at least {CHUNK}")


class BrokenAnswer(Exception):
    """The body broke off, or the attempt passed its deadline; ``str()`` says which, without content."""


class RawBody(Protocol):
    """What :class:`Body` reads from: urllib3's response (``requests.Response.raw``)."""

    decode_content: bool

    def read1(self, amt: int | None = None) -> bytes: ...


_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_STRUCTURE = bytes(code for code in range(256) if code not in b'"[]{}')
_DELTA = [0] * 256
for _code in b"[{":
    _DELTA[_code] = 1
for _code in b"]}":
    _DELTA[_code] = -1


def _odd_trailing_backslashes(data: bytes) -> bool:
    return (len(data) - len(data.rstrip(b"\\"))) % 2 == 1


def _last_unescaped_quote(data: bytes) -> int:
    """The position of the last ``"`` in ``data`` that no odd run of backslashes escapes."""
    end = len(data)
    while True:
        quote = data.rindex(b'"', 0, end)
        if not _odd_trailing_backslashes(data[:quote]):
            return quote
        end = quote


class JsonGuard:
    """Tracks nesting depth and string length across the chunks of a JSON text.

    It is not a validator (the parser is): it only needs to know, at every byte,
    whether it is inside a string and how deep the structure is, which a stream of
    ``"``, ``\\`` and bracket bytes decides.
    """

    def __init__(self, endpoint: str, limits: BodyLimits) -> None:
        self.endpoint = endpoint
        self.limits = limits
        self.depth = 0
        self.deepest = 0
        self._in_string = False
        self._escaped = False
        self._string_bytes = 0

    def feed(self, chunk: bytes) -> None:
        """Check the next chunk; raises :class:`PayloadError` at the first breach."""
        start = 0
        if self._in_string:
            skip = 1 if self._escaped else 0
            end = _STRING_REST.match(chunk, skip)
            if end is None:
                self._string_bytes += len(chunk)
                self._escaped = _odd_trailing_backslashes(chunk[skip:]) if len(chunk) > skip else False
                self._check_string()
                return
            self._string_bytes += end.end()
            self._check_string()
            self._in_string = False
            start = end.end()
        rest = chunk[start:] if start else chunk
        # A string that opens and closes in this chunk is shorter than a chunk, so within
        # the limit: only its quotes matter. Escaped backslashes and quotes go first
        # (pairs from the left, as JSON reads them), then everything but quotes and
        # brackets; the quotes split what remains into outside, inside, outside...
        # (150 MB/s of JSON, against 60 MB/s for one expression matching strings).
        structure = rest.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
        parts = structure.split(b'"')
        if len(parts) % 2 == 0:  # an odd number of quotes: the last opens a string that runs past the chunk
            tail = rest[_last_unescaped_quote(rest) + 1 :]
            self._in_string, self._string_bytes = True, len(tail)
            self._escaped = _odd_trailing_backslashes(tail)
            self._check_string()
        self._track_depth(b"".join(parts[::2]))

    def _track_depth(self, brackets: bytes) -> None:
        if not brackets:
            return
        opens = brackets.count(b"[") + brackets.count(b"{")
        # The exact peak costs a pass in Python over the brackets; skip it while even
        # every opening bracket in the chunk could not reach a level that matters.
        if self.depth + opens > min(self.limits.max_depth, RECURSION_SAFE_DEPTH):
            deepest = max(accumulate(map(_DELTA.__getitem__, brackets), initial=self.depth))
            self.deepest = max(self.deepest, deepest)
            if deepest > self.limits.max_depth:
                raise PayloadError(f"{self.endpoint} answered JSON nested deeper than {self.limits.max_depth:,} levels")
        else:
            self.deepest = max(self.deepest, self.depth + opens)
        self.depth += 2 * opens - len(brackets)

    def _check_string(self) -> None:
        if self._string_bytes > self.limits.max_string_bytes:
            raise PayloadError(
                f"{self.endpoint} answered a JSON string longer than {_size(self.limits.max_string_bytes)}"
            )


class Body(io.RawIOBase):
    """A response body as a binary file: decompressed, size-capped, JSON-guarded, deadline-bound.

    ``read(size)`` returns at most :data:`CHUNK` bytes per call, from one read of the
    socket, so a dripping server cannot hold a call past the deadline by more than
    one read timeout.
    """

    def __init__(self, raw: RawBody, endpoint: str, limits: BodyLimits, deadline: float, seconds: float) -> None:
        """``deadline`` is a ``time.monotonic()`` instant; ``seconds`` the budget it came from (for messages)."""
        super().__init__()
        raw.decode_content = True  # requests leaves it off for streamed bodies
        self._raw = raw
        self.endpoint = endpoint
        self.limits = limits
        self.guard = JsonGuard(endpoint, limits)
        self.size = 0
        """Decompressed bytes read so far."""
        self._deadline, self._seconds = deadline, seconds

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size == 0:
            return b""
        if time.monotonic() > self._deadline:
            raise BrokenAnswer(f"the answer took longer than {self._seconds:g}s (--http-deadline)")
        amount = CHUNK if size is None or size < 0 else min(size, CHUNK)
        try:
            data = self._raw.read1(amount)
        except Exception as exc:  # urllib3, http.client and socket errors all mean the same here
            raise BrokenAnswer(f"the answer broke off after {self.size:,} bytes ({type(exc).__name__})") from None
        self.size += len(data)
        if self.size > self.limits.max_bytes:
            raise PayloadError(
                f"{self.endpoint} answered more than {_size(self.limits.max_bytes)} (raise --http-max-body-mb)"
            )
        self.guard.feed(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read_all(self) -> bytes:
        """The whole body (within the limits)."""
        pieces = []
        while piece := self.read(CHUNK):
            pieces.append(piece)
        return b"".join(pieces)


def parse_json(data: bytes) -> Any:
    """``data`` parsed as JSON; raises ``ValueError``. A document too deep for the standard
    library's recursive parser is built without recursion, so any depth the limits allow parses."""
    try:
        return json.loads(data)
    except RecursionError:
        pass
    try:
        return _build(ijson.basic_parse(io.BytesIO(data), use_float=True))
    except ijson.JSONError as exc:
        raise ValueError(json_error_reason(exc)) from None


def json_error_reason(exc: Exception) -> str:
    """What a JSON parser (ijson's yajl included) says went wrong, without the excerpt of the
    payload it quotes on the following lines: that excerpt may hold personal data.
    yajl's message arrives as bytes; only its first line is kept."""
    message = exc.args[0] if exc.args else ""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return str(message).strip().partition("\n")[0][:120]


def _build(events: Any) -> Any:
    """The value ijson's ``basic_parse`` events describe, built with an explicit stack."""
    stack: list[Any] = []
    key: str = ""
    result: Any = None

    def add(value: Any) -> None:
        nonlocal result
        if not stack:
            result = value
        elif isinstance(stack[-1], dict):
            stack[-1][key] = value
        else:
            stack[-1].append(value)

    for event, value in events:
        if event == "map_key":
            key = value
        elif event in ("start_map", "start_array"):
            container: Any = {} if event == "start_map" else []
            add(container)
            stack.append(container)
        elif event in ("end_map", "end_array"):
            stack.pop()
        else:
            add(value)
    return result


def _size(count: int) -> str:
    return f"{count / MIB:g} MiB" if count >= MIB else f"{count:,} bytes"
