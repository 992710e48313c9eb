"""Text that is safe to show on a terminal: the one place every text output goes through.

Names, ids and error bodies come from upstreams and files we do not control. Printed
raw, an ANSI or OSC escape can recolour, retitle or clear a terminal (or write a
fake line), a carriage return can overwrite what came before, and a bidi override
can make ``evil.exe`` read as ``exe.live``. So every value shown as text (table
cells, headings, warnings, summaries, progress, log lines, the ``error:`` line)
goes through :func:`printable`, which turns every such character into a visible
escape:

- C0 controls (U+0000-U+001F, tab and newline included: a value is one cell or one
  line) and DEL (U+007F) as ``\\x1b``;
- C1 controls (U+0080-U+009F) as ``\\x9b``;
- bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and the line
  and paragraph separators (U+2028, U+2029) as ``\\u202e``;
- a backslash stays a backslash: the output is for people to read, not to parse back.

JSON output never goes through here: ``json.dump`` already escapes every control
character, and JSON output must stay exact.
"""

from __future__ import annotations

import logging
from typing import Final

_BIDI_AND_SEPARATORS: Final = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)

_ESCAPES: Final[dict[int, str]] = {
    **{code: f"\\x{code:02x}" for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))},
    **{code: f"\\u{code:04x}" for code in _BIDI_AND_SEPARATORS},
}
"""``str.translate`` table: code point -> its visible escape."""


def printable(value: object) -> str:
    """``str(value)`` with every control, bidi and line-separator character shown as an escape.

    ``None`` becomes ``""``. The result holds no character that moves the cursor,
    changes the terminal's state or reorders text; its length may grow (each
    escaped character becomes 4 or 6 characters).
    """
    if value is None:
        return ""
    return str(value).translate(_ESCAPES)


_AS_SPACE: Final[dict[int, str]] = dict.fromkeys(_ESCAPES, " ")


def one_line(text: str) -> str:
    """``text`` as one line of words: every control, bidi and line-separator character made a
    space, and runs of white space one space (for text an upstream sent, such as an error
    message, that is shown or stored rather than read back)."""
    return " ".join(text.translate(_AS_SPACE).split())


def printable_lines(text: str) -> str:
    """Multi-line text (a summary, a help text) with each line made :func:`printable`.

    Newlines separate lines and are kept; every other control character is escaped.
    """
    return "\n".join(printable(line) for line in text.split("\n"))


class PrintableFormatter(logging.Formatter):
    """A log formatter whose message line is :func:`printable`: a value inside a message
    cannot break the line or drive the terminal. A traceback (debug level) keeps its
    line breaks, each of its lines made printable."""

    def format(self, record: logging.LogRecord) -> str:
        record.message = record.getMessage()
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        lines = [printable(self.formatMessage(record))]
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        lines += [printable_lines(extra) for extra in (record.exc_text, record.stack_info) if extra]
        return "\n".join(lines)
