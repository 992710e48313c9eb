"""How the ``connector`` command talks about itself: help, usage errors and exit codes.

A mistyped command line ends in one line naming the mistake and one line
pointing at the right ``--help`` (exit 2), never in the full usage text; the
exit codes are listed once here and shown by ``connector --help`` (the README
carries the same table, and a test holds the two together).
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from framework.host.errors import ExitCode
from framework.host.terminal import printable

EXIT_CODES: dict[int, str] = {
    ExitCode.OK: "success",
    ExitCode.INTERNAL: "internal error (a bug: run with --log-level debug)",
    ExitCode.USAGE: "usage or configuration error; unknown or broken plugin; nothing matches what was asked for",
    ExitCode.AUTH: "the upstream refused the credentials (401) or a permission (403)",
    ExitCode.UPSTREAM: "the upstream failed: unreachable, 5xx or 429 after retries, other 4xx",
    ExitCode.PAYLOAD: "the upstream answered with a malformed payload",
    ExitCode.VALIDATION: "validation failed (e.g. a missing permission category)",
    ExitCode.STORE: "the sync file cannot be opened, read or written",
    ExitCode.INTEGRITY: "a plugin returned contradictory data (e.g. a grant to nobody)",
    ExitCode.REFUSED: "refused: the sync would remove more users than --max-removals allows",
    130: "interrupted",
}
"""Every exit code the command ends with, and what it means."""


def exit_code_table() -> str:
    """The exit codes as aligned text lines, for the end of ``connector --help``."""
    return "exit codes:\n" + "\n".join(f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES.items())


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line plus a hint, exit code 2.

    ``argparse`` hands sub-parsers the class of their parent, so every
    subcommand gets the same treatment.
    """

    def error(self, message: str) -> NoReturn:
        first_line = printable(message.strip()) or "invalid arguments"
        sys.stderr.write(f"error: {self.prog}: {first_line}\nhint: {self.prog} --help\n")
        raise SystemExit(int(ExitCode.USAGE))
