"""The conformance checks: plain functions from what a plugin answered to a list of problems.

Each problem is one sentence a plugin author can act on, naming the offending
id. An empty list means the check passed. The pytest suite only asserts that
these lists are empty, so the checks can also be called from a script or a
notebook while a plugin is being written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from framework.authoring.testing.observe import Attempt, Run
from framework.authoring.testing.watch import PaginationLoop
from framework.host.errors import ConnectorError
from framework.host.models import ConnectorInfo, ResourceRef, Status, Trait

EXAMPLES = 5
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
"""Deliberately loose: one @, no spaces, a dot in the domain. Catches names and ids put in the email slot."""


def _examples(items: Iterable[str]) -> str:
    items = list(items)
    shown = ", ".join(items[:EXAMPLES])
    return shown + (f" and {len(items) - EXAMPLES} more" if len(items) > EXAMPLES else "")


def info_problems(info: ConnectorInfo) -> list[str]:
    """The self-description the host builds flags and tables from must be usable."""
    problems: list[str] = []
    if not info.version.strip():
        problems.append("connector_info has an empty version")
    if not info.resource_types:
        problems.append("connector_info declares no resource types, so a sync lists nothing")
    for what, names in (
        ("config field", [f.name for f in info.config_fields]),
        ("resource type", [t.id for t in info.resource_types]),
    ):
        repeated = [name for name, count in Counter(names).items() if count > 1]
        if repeated:
            problems.append(f"{what} declared more than once: {_examples(repeated)}")
    for resource_type in info.resource_types:
        slugs = [spec.slug for spec in resource_type.entitlements]
        if len(set(slugs)) != len(slugs):
            problems.append(f"resource type {resource_type.id!r} declares an entitlement slug twice: {slugs}")
    for config_field in info.config_fields:
        if not config_field.name.startswith(f"{info.name}-"):
            problems.append(
                f"config field {config_field.name!r} does not start with '{info.name}-'; "
                "its flag and BATON_ variable could clash with another plugin's"
            )
    return problems


def failure_problems(run: Run) -> list[str]:
    """A sync of good data must complete; the host's refusal is quoted as it is."""
    if run.error is None:
        return []
    return [f"the sync failed: {type(run.error).__name__}: {run.error}"]


def listing_problems(info: ConnectorInfo, run: Run, expected_counts: Mapping[str, int]) -> list[str]:
    """Every declared type lists something, and as much as the test upstream holds.

    A count below the expected one is the signature of pagination that stops
    after the first page; a :class:`PaginationLoop` is pagination that never
    would. Other failures are reported by :func:`failure_problems`.
    """
    problems = [f"pagination did not end: {run.error}"] if isinstance(run.error, PaginationLoop) else []
    for resource_type in info.resource_types:
        listed = run.resources.get(resource_type.id, [])
        expected = expected_counts.get(resource_type.id)
        if expected is not None and len(listed) != expected:
            hint = " (does pagination stop after the first page?)" if len(listed) < expected else ""
            problems.append(f"listed {len(listed)} {resource_type.id} resources, the test data holds {expected}{hint}")
        elif not listed:
            problems.append(
                f"resource type {resource_type.id!r} listed nothing; the test data must hold at least one, "
                "or the other checks prove nothing about it"
            )
    if "grants" in expected_counts and len(run.grants) != expected_counts["grants"]:
        problems.append(f"listed {len(run.grants)} grants, the test data holds {expected_counts['grants']}")
    return problems


def duplicate_problems(run: Run) -> list[str]:
    """Ids are unique within a type, and grants are not repeated."""
    problems = []
    for type_id, resources in run.resources.items():
        repeated = [i for i, count in Counter(r.id for r in resources).items() if count > 1]
        if repeated:
            problems.append(f"{type_id} ids listed more than once: {_examples(repeated)}")
    repeated_grants = [i for i, count in Counter(g.id for g in run.grants).items() if count > 1]
    if repeated_grants:
        problems.append(f"grants listed more than once: {_examples(repeated_grants)}")
    return problems


def stability_problems(first: Run, second: Run) -> list[str]:
    """Two runs over the same data answer the same ids, or every sync looks like churn."""
    problems = []
    for type_id in sorted(set(first.resources) | set(second.resources)):
        before = {r.id for r in first.resources.get(type_id, [])}
        after = {r.id for r in second.resources.get(type_id, [])}
        if before != after:
            problems.append(
                f"{type_id} ids differ between two runs on the same data: only in the first "
                f"[{_examples(sorted(before - after))}], only in the second [{_examples(sorted(after - before))}]"
            )
    before_grants, after_grants = {g.id for g in first.grants}, {g.id for g in second.grants}
    if before_grants != after_grants:
        problems.append(
            f"grant ids differ between two runs: only in the first [{_examples(sorted(before_grants - after_grants))}]"
            f", only in the second [{_examples(sorted(after_grants - before_grants))}]"
        )
    return problems


def reference_problems(info: ConnectorInfo, run: Run) -> list[str]:
    """Every grant, parent and entitlement points at something listed in the same run."""
    listed = {(r.resource_type, r.id) for resources in run.resources.values() for r in resources}
    slugs = {t.id: {spec.slug for spec in t.entitlements} for t in info.resource_types}

    def missing(ref: ResourceRef) -> bool:
        return (ref.resource_type, ref.id) not in listed

    unknown_resource = [g.id for g in run.grants if missing(g.resource)]
    unknown_slug = [g.id for g in run.grants if g.slug not in slugs.get(g.resource.resource_type, set())]
    unknown_principal = [g.id for g in run.grants if missing(g.principal)]
    orphans = [
        f"{r.resource_type}:{r.id}"
        for resources in run.resources.values()
        for r in resources
        if r.parent is not None and missing(r.parent)
    ]
    stray = [e["id"] for e in run.stored_entitlements if (e["resource_type"], e["resource_id"]) not in listed]
    found = {
        "grants on a resource that was not listed": unknown_resource,
        "grants of an entitlement slug the resource type does not declare": unknown_slug,
        "grants to a principal that was not listed": unknown_principal,
        "resources whose parent was not listed": orphans,
        "entitlements whose resource was not listed": stray,
    }
    return [f"{len(items)} {what}: {_examples(items)}" for what, items in found.items() if items]


def resource_problems(info: ConnectorInfo, run: Run) -> list[str]:
    """Display names everywhere; users with a user trait, a status and well-formed emails."""
    user_types = {t.id for t in info.resource_types if Trait.USER in t.traits}
    unnamed: list[str] = []
    bad_status: list[str] = []
    bad_email: list[str] = []
    two_primary: list[str] = []
    for type_id, resources in run.resources.items():
        for r in resources:
            ref = f"{type_id}:{r.id}"
            if not r.display_name.strip():
                unnamed.append(ref)
            if type_id not in user_types:
                continue
            if r.user is None or not isinstance(r.user.status, Status):
                bad_status.append(f"{ref} ({None if r.user is None else r.user.status!r})")
                continue
            bad_email += [f"{ref} ({e.address!r})" for e in r.user.emails if not EMAIL.match(e.address)]
            if sum(e.primary for e in r.user.emails) > 1:
                two_primary.append(ref)
    found = {
        "resources without a display name": unnamed,
        "users without a user trait whose status is a framework.host.models.Status": bad_status,
        "user emails that are not addresses": bad_email,
        "users with more than one primary email": two_primary,
    }
    return [f"{len(items)} {what}: {_examples(items)}" for what, items in found.items() if items]


def accepted_problems(attempt: Attempt) -> list[str]:
    """Good config validates."""
    if attempt.accepted:
        return []
    return [f"validate refused the good config: {attempt.message or type(attempt.error).__name__}"]


def refusal_problems(what: str, attempt: Attempt, expected: str, secrets: Sequence[str]) -> list[str]:
    """Bad config is refused with one line that says why, and never echoes a secret.

    A :class:`ConnectorError` is what the CLI prints as one line with its exit
    code; anything else (a KeyError, a TypeError) ends as "internal error".
    """
    if attempt.accepted:
        return [f"validate accepted {what}"]
    problems = []
    if attempt.error is not None and not isinstance(attempt.error, ConnectorError):
        problems.append(
            f"validate with {what} raised {type(attempt.error).__name__}: {attempt.error}; raise a "
            "framework.host.errors.ConnectorError subclass so the CLI prints one clear line"
        )
    message = attempt.message
    if not message.strip() or "\n" in message.strip():
        problems.append(f"validate with {what} failed without a one-line message: {message!r}")
    if expected and expected.lower() not in message.lower():
        problems.append(f"validate with {what} said {message!r}, which does not mention {expected!r}")
    if any(secret in message for secret in secrets):
        problems.append(f"validate with {what} put a secret config value in its message")
    return problems
