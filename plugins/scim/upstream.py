"""scim2-server on loopback: the independent SCIM provider the demo and the tests sync.

:class:`ScimServer` runs the ``scim2-server`` command (PyPI ``scim2-server``,
in memory) as a child process on a free loopback port with a random bearer
token, and :meth:`ScimServer.seed` fills it through its own SCIM API, as any
provisioning client would: every payload is built with scim2-models in the
creation-request context. Nothing here is imported by a sync.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
from scim2_models import Context, Email, EnterpriseUser, Group, GroupMember, Manager, Name, User

from framework.host.errors import ConfigError, UpstreamError

COMMAND = "scim2-server"
STARTUP_SECONDS = 20.0
STOP_SECONDS = 5.0
SCIM_JSON = "application/scim+json"


@dataclass(frozen=True, slots=True)
class Account:
    """One user account to create; ``emails[0]`` is the primary address.

    ``active`` None leaves the attribute out, as some providers do.
    ``manager`` is the ``user_name`` of an account listed before this one.
    """

    user_name: str
    given_name: str = ""
    family_name: str = ""
    emails: tuple[str, ...] = ()
    active: bool | None = True
    external_id: str | None = None
    employee_number: str | None = None
    department: str | None = None
    manager: str | None = None


@dataclass(frozen=True, slots=True)
class Team:
    """One group to create; ``members`` are account user names or names of teams listed before it."""

    name: str
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Tenant:
    """What a provider holds: accounts first, then teams in dependency order."""

    accounts: tuple[Account, ...] = ()
    teams: tuple[Team, ...] = ()


def _command() -> str:
    """The ``scim2-server`` script of this interpreter's environment, else the one on ``PATH``."""
    found = shutil.which(COMMAND, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if found is None:
        raise ConfigError(f"{COMMAND} is not installed; install it with: python3 -m pip install scim2-server")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ScimServer:
    """A running scim2-server; use as a context manager (it stops on exit)."""

    def __init__(self, token: str | None = None, *, predictable_ids: bool = False) -> None:
        self.token = token or secrets.token_urlsafe(24)
        self.predictable_ids = predictable_ids
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v2"
        self._process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__)
        self._session = requests.Session()
        self._session.headers.update({"Authorization": f"Bearer {self.token}", "Content-Type": SCIM_JSON})

    def __enter__(self) -> ScimServer:
        server = [sys.executable, "-m", "plugins.scim.stand_in"] if self.predictable_ids else [_command()]
        command = [*server, "--port", str(self.port), f"--bearer-token={self.token}"]  # a token may start with "-"
        self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log)  # noqa: S603
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._session.close()
        self._log.close()

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._log.seek(0)
                lines = self._log.read().decode(errors="replace").strip().splitlines()
                reason = lines[-1][:200] if lines else f"exit status {self._process.returncode}"
                raise UpstreamError(f"{COMMAND} stopped while starting: {reason}")
            try:
                if self._session.get(f"{self.base_url}/ServiceProviderConfig", timeout=1).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise UpstreamError(f"{COMMAND} did not answer on port {self.port} within {STARTUP_SECONDS:g}s")

    def create(self, path: str, payload: dict[str, Any]) -> str:
        """POST one resource; its id. Raises :class:`UpstreamError` when the server refuses it."""
        response = self._session.post(f"{self.base_url}{path}", json=payload, timeout=10)
        if response.status_code != 201:
            raise UpstreamError(f"{COMMAND} refused POST {path}: {response.status_code} {response.text[:200]}")
        resource_id: str = response.json()["id"]
        return resource_id

    def seed(self, tenant: Tenant) -> dict[str, str]:
        """Create the tenant's accounts and teams; SCIM ids by user name and by team name."""
        ids: dict[str, str] = {}
        for account in tenant.accounts:
            ids[account.user_name] = self.create("/Users", user_payload(account, ids))
        for team in tenant.teams:
            members = [
                GroupMember(
                    value=ids[member], ref=None, type="Group" if member in {t.name for t in tenant.teams} else "User"
                )
                for member in team.members
            ]
            group = Group(display_name=team.name, members=members or None)
            ids[team.name] = self.create("/Groups", group.model_dump(scim_ctx=Context.RESOURCE_CREATION_REQUEST))
        return ids


def user_payload(account: Account, ids: dict[str, str]) -> dict[str, Any]:
    """The creation request for ``account``; ``ids`` resolves its manager's user name."""
    user = User[EnterpriseUser](
        user_name=account.user_name,
        name=Name(given_name=account.given_name or None, family_name=account.family_name or None),
        emails=[Email(value=address, primary=index == 0) for index, address in enumerate(account.emails)] or None,
        active=account.active,
        external_id=account.external_id,
    )
    if account.employee_number or account.department or account.manager:
        user[EnterpriseUser] = EnterpriseUser(
            employee_number=account.employee_number,
            department=account.department,
            manager=Manager(value=ids[account.manager], ref=None) if account.manager else None,
        )
    payload: dict[str, Any] = user.model_dump(scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    return payload
