"""Recording scim2-server and replaying it offline (pytest-recording, the framework's scrubber).

Replay (record mode ``none``, the default) points the connector at
:data:`REPLAY_BASE_URL`, where nothing listens, with the token's placeholder;
every answer comes from ``cassettes/scim/``. Any other record mode starts
scim2-server seeded with :data:`~tests.scim.tenant.TENANT` and records it:
the token in flight is replaced by its placeholder and the Authorization
header dropped before anything is written. Requests match on method, path,
query and body, so the random port of the recording does not matter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from framework.authoring.testing import replay_config
from plugins.scim.config import BASE_URL, BEARER_TOKEN, CONFIG_FIELDS
from plugins.scim.upstream import ScimServer
from tests.scim.tenant import TENANT

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes" / "scim"
RECORDING_TOKEN = "scim-recording-token"
"""The recorded server's token, known in advance so pytest-recording's ``vcr_config`` can scrub it."""
REPLAY_BASE_URL = "https://scim.example.com/v2"
"""Same path as scim2-server's base URL (``/v2``), so recorded paths match."""


@contextmanager
def scim_config(record_mode: str) -> Iterator[dict[str, str]]:
    """Placeholders when replaying; a freshly seeded scim2-server otherwise."""
    if record_mode == "none":
        yield replay_config(CONFIG_FIELDS, {BASE_URL.name: REPLAY_BASE_URL})
        return
    with ScimServer(RECORDING_TOKEN) as server:
        server.seed(TENANT)
        yield {BASE_URL.name: server.base_url, BEARER_TOKEN.name: server.token}
