"""Keeping secret values out of everything that leaves the process or is stored.

Plugins mark fields ``secret``; the host registers their values here before any
hook runs, and the HTTP client registers the Basic credential it sends. One
:data:`redactor` then masks them wherever text leaves: the CLI wraps stdout and
stderr in a :class:`RedactingStream` (tables, JSON, summaries, progress, hook
traces, the ``error:`` line), log records pass its filter, and the sync writes
its error and summary columns through :meth:`Redactor.scrub`. So even a plugin
that logs a URL, or an upstream error body that echoes the request, cannot leak.

A secret is masked in every form it travels in: raw, percent-encoded (as in a URL
or a form body, upper or lower case hex), JSON-escaped, and, for a user and
password pair, the ``Basic`` base64 value of the ``Authorization`` header.

A form shorter than :data:`WORD_ONLY_BELOW` characters is masked only where it
stands as a whole word: a one-letter token ``y`` must not turn ``severity`` into
``severit********`` and break every JSON key and message that holds the letter,
yet ``token=y`` and ``"y"`` are still masked.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import re
from typing import TextIO, cast
from urllib.parse import quote, quote_plus

MASK = "********"
WORD_ONLY_BELOW = 8
"""Secret forms shorter than this many characters are masked as whole words only."""


def _forms(value: str) -> set[str]:
    """The spellings ``value`` can take on its way out: raw, URL- and JSON-encoded."""
    forms = {value, quote(value, safe=""), quote(value), quote_plus(value)}
    forms |= {re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), form) for form in set(forms)}
    forms |= {json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    return {form for form in forms if form}


def _alternative(form: str) -> str:
    """The pattern that finds ``form``: anywhere when long, as a whole word when short."""
    escaped = re.escape(form)
    return escaped if len(form) >= WORD_ONLY_BELOW else rf"(?<!\w){escaped}(?!\w)"


class Redactor(logging.Filter):
    """Replaces every registered secret, in each of its forms, with :data:`MASK`; also a logging filter."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, value: str) -> None:
        """Mask ``value`` from now on (empty values are ignored)."""
        if value:
            self._secrets |= _forms(value)
            self._compile()

    def add_basic_auth(self, user: str, password: str) -> None:
        """Mask the ``Basic`` base64 form of the pair (both encodings requests may use: Latin-1,
        else UTF-8). The values themselves are masked as the secret settings they come from."""
        pair = f"{user}:{password}"
        for encoding in ("latin-1", "utf-8"):
            try:
                encoded = base64.b64encode(pair.encode(encoding)).decode("ascii")
            except UnicodeEncodeError:
                continue
            self._secrets |= {encoded, encoded.rstrip("=")}
        self._compile()

    def _compile(self) -> None:
        # Longest first, so a secret that contains another is masked whole.
        alternatives = sorted(self._secrets, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(_alternative, alternatives)))

    def scrub(self, text: str) -> str:
        """``text`` with every registered secret form replaced by :data:`MASK`."""
        if self._pattern is None:
            return text
        return self._pattern.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        if self._pattern is not None:
            record.msg = self.scrub(record.getMessage())
            record.args = None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return True


redactor = Redactor()


class RedactingStream(io.TextIOBase):
    """A text stream that scrubs every write before passing it on (stdout, stderr, export files).

    Each ``write`` is scrubbed whole: writers hand over whole values (a JSON string,
    a table line), so a secret is never split across two writes.
    """

    def __init__(self, inner: TextIO, scrubber: Redactor = redactor) -> None:
        super().__init__()
        self.inner = inner
        self._scrub = scrubber.scrub

    def write(self, text: str) -> int:
        self.inner.write(self._scrub(text))
        return len(text)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def close(self) -> None:
        self.inner.close()
        super().close()

    def __del__(self) -> None:
        """Dropping the wrapper leaves the stream it wraps open (``IOBase`` would close it)."""

    def as_text_io(self) -> TextIO:
        """This stream, typed as what ``sys.stdout`` and ``open()`` hand out."""
        return cast(TextIO, self)
