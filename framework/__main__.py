"""``python -m framework`` is the ``connector`` command."""

import sys

from framework.cli import main

sys.exit(main())
