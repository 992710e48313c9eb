"""Every hook spec has a section in docs/hooks.md and a conformance test; the docs name the tests.

Like a plugin ecosystem's "every hook is documented" test: adding a hook spec
without documenting and testing it fails here, and so does a section for a hook
that no longer exists.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from framework.authoring.testing import Conformance, covered_hooks
from framework.host import hookspecs
from framework.host.plugins import HOOK_NAMES

DOCS = Path(__file__).resolve().parents[2] / "docs"
HOOKS_DOC = (DOCS / "hooks.md").read_text(encoding="utf-8")
SECTION = re.compile(r"^## `(\w+)`$", re.MULTILINE)
FENCE = re.compile(r"```python\n(.*?)```", re.DOTALL)
PARTS = ("**Arguments:**", "**Returns:**", "**When the host calls it:**", "**Checked by:**", "**Example:**")


def _sections() -> dict[str, str]:
    heads = list(SECTION.finditer(HOOKS_DOC))
    ends = [h.start() for h in heads[1:]] + [len(HOOKS_DOC)]
    return {h.group(1): HOOKS_DOC[h.end() : end] for h, end in zip(heads, ends, strict=True)}


def signature(name: str) -> str:
    """The spec's signature as written in framework/host/hookspecs.py."""
    spec = inspect.signature(getattr(hookspecs, name))
    params = ", ".join(f"{p.name}: {p.annotation}" for p in spec.parameters.values())
    return f"def {name}({params}) -> {spec.return_annotation}"


def test_there_is_one_section_per_hook_spec_and_no_other() -> None:
    assert sorted(_sections()) == sorted(HOOK_NAMES)


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_each_section_gives_the_exact_signature_contract_and_a_compiling_example(hook: str) -> None:
    section = _sections()[hook]
    blocks = FENCE.findall(section)
    assert blocks and blocks[0].strip() == signature(hook), f"hooks.md: {hook} signature differs from the spec"
    missing = [part for part in PARTS if part not in section]
    assert not missing, f"hooks.md: {hook} lacks {missing}"
    example = blocks[-1]
    compile(example, f"hooks.md example of {hook}", "exec")
    assert "@hookimpl" in example
    assert f"def {hook}(" in example


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_each_hook_has_a_conformance_test_and_its_section_names_them(hook: str) -> None:
    tests = covered_hooks()[hook]
    assert tests, f"no conformance test exercises {hook}: mark one with @covers({hook!r})"
    unnamed = [test for test in tests if f"`{test}`" not in _sections()[hook]]
    assert not unnamed, f"hooks.md: the {hook} section does not name {unnamed}"


def test_the_guide_lists_every_conformance_test() -> None:
    guide = (DOCS / "writing-a-plugin.md").read_text(encoding="utf-8")
    tests = [name for name in dir(Conformance) if name.startswith("test_")]
    assert tests
    assert [t for t in tests if f"`{t}`" not in guide] == []
