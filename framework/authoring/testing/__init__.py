"""Testing kit for connector plugins: the conformance suite and safe cassettes.

A plugin's test module subclasses :class:`Conformance` to run every check the
framework expects of a connector (see ``docs/writing-a-plugin.md``). This
package imports pytest and vcrpy (the ``test`` extra); the host never imports
it, so running connectors does not need them.
"""

from framework.authoring.testing.cassettes import placeholder, replay_config, secrets_in_flight, vcr_config
from framework.authoring.testing.observe import Limits, load_connector, observe_run
from framework.authoring.testing.suite import BadConfig, Conformance, covered_hooks, covers
from framework.authoring.testing.watch import PaginationLoop

__all__ = [
    "BadConfig",
    "Conformance",
    "Limits",
    "PaginationLoop",
    "covered_hooks",
    "covers",
    "load_connector",
    "observe_run",
    "placeholder",
    "replay_config",
    "secrets_in_flight",
    "vcr_config",
]
