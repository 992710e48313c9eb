"""A throwaway HTTP server on 127.0.0.1 for tests that script their upstream.

Tests hand it one function that answers a request; it runs the server on a
free port in a background thread and stops it promptly afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = Callable[[BaseHTTPRequestHandler, bytes], None]
"""Called with the handler (to send the answer) and the request body already read."""


@contextmanager
def serve(answer: Answer, *, http11: bool = False) -> Iterator[str]:
    """Serve ``answer`` for GET and POST; yields ``http://127.0.0.1:PORT``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if http11 else "HTTP/1.0"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            answer(self, self.rfile.read(length) if length else b"")

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
