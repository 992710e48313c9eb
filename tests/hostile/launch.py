"""Run a command and write its peak resident memory (KiB) to a file; exit with its code.

Tests start the CLI through this small, fresh process: a child forked straight from
pytest would count pytest's own pages in its peak (``ru_maxrss`` includes what a
child shares with its parent until it execs).

Usage: ``python launch.py RSS_FILE COMMAND...``
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> int:
    rss_file, command = Path(sys.argv[1]), sys.argv[2:]
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    rss_file.write_text(str(usage.ru_maxrss))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
