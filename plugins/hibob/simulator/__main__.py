"""Run the simulator by hand: ``python -m plugins.hibob.simulator``.

Useful to point a connector (or curl) at a realistic HiBob without network
access. Serves the demo company, or a generated one when ``--employees`` is
given, until interrupted.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence

from plugins.hibob.simulator.demo import demo_company
from plugins.hibob.simulator.generate import generated_company
from plugins.hibob.simulator.server import Simulator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m plugins.hibob.simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: a free port)")
    parser.add_argument("--employees", type=int, help="serve a generated company with this many people")
    parser.add_argument("--departments", type=int, default=50, help="departments of a generated company")
    parser.add_argument("--seed", type=int, default=1, help="seed of a generated company")
    parser.add_argument("--envelope", choices=("items", "values", "both"), default="items")
    parser.add_argument(
        "--rate-limit", type=int, default=50, help="requests per minute per endpoint and user; 0 disables"
    )
    return parser


def main(argv: Sequence[str] | None = None, stop: threading.Event | None = None) -> int:
    """Serve until Ctrl-C (or until ``stop`` is set, which tests use)."""
    args = _parser().parse_args(argv)
    if args.employees is not None:
        company = generated_company(employees=args.employees, departments=args.departments, seed=args.seed)
    else:
        company = demo_company()
    simulator = Simulator(
        company,
        envelope=args.envelope,
        rate_limit_per_minute=args.rate_limit or None,
        host=args.host,
        port=args.port,
    )
    with simulator:
        out = sys.stdout
        out.write(f"HiBob simulator serving {company.name} ({len(company.employees)} employees)\n")
        out.write(f"BATON_HIBOB_BASE_URL={simulator.base_url}\n")
        out.write(f"BATON_HIBOB_SERVICE_USER_ID={simulator.service_user_id}\n")
        out.write(f"BATON_HIBOB_SERVICE_USER_TOKEN={simulator.token}\n")
        out.flush()
        waiter = stop or threading.Event()
        try:
            while not waiter.wait(0.5):
                pass
        except KeyboardInterrupt:
            out.write("stopped\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
