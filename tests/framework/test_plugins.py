from __future__ import annotations

from pathlib import Path

import pytest

from framework.host import hookspecs
from framework.host.errors import PluginError
from framework.host.plugins import HOOK_NAMES, ConnectorManager, get_plugin_manager, register
from tests.toy import PERSON, Toy


def test_calling_one_connector_never_runs_another(pm: ConnectorManager, toy: Toy) -> None:
    other = Toy.teams(name="other")
    register(pm, other, "other")
    try:
        resources = list(pm.connector("toy").list_resources(_ctx(), PERSON))
        assert [r.id for r in resources] == ["ann", "bob", "cid"]
        assert other.calls == []
        assert toy.calls == ["list_resources:person"]
    finally:
        pm.unregister(name="other")


def test_unknown_connector_names_the_installed_ones(pm: ConnectorManager) -> None:
    with pytest.raises(PluginError, match=r"unknown connector 'nope' \(installed: .*toy"):
        pm.connector("nope")


def test_info_name_must_match_registration(pm: ConnectorManager) -> None:
    impostor = Toy.teams(name="impostor")
    register(pm, impostor, "alias")
    try:
        with pytest.raises(PluginError, match="calls itself 'impostor'"):
            pm.connector("alias").info()
    finally:
        pm.unregister(name="alias")


def test_plugin_with_an_unknown_hook_is_refused(pm: ConnectorManager) -> None:
    class Typo:
        from framework import hookimpl

        @hookimpl
        def list_resourcez(self) -> None: ...

    with pytest.raises(Exception, match="unknown hook"):
        register(pm, Typo(), "typo")
    assert not pm.has_plugin("typo")


def _fake_distribution(root: Path, name: str, entry_points: str) -> None:
    dist = root / f"{name}-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(f"[framework.connectors]\n{entry_points}\n")


def test_broken_plugin_is_reported_by_name_and_others_still_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_distribution(tmp_path, "broken_connector", "broken = no_such_module_anywhere")
    monkeypatch.syspath_prepend(str(tmp_path))
    manager = get_plugin_manager(env={})
    assert [f.name for f in manager.failures] == ["broken"]
    assert "No module named 'no_such_module_anywhere'" in manager.failures[0].error
    assert "hibob" in manager.connector_names()
    with pytest.raises(PluginError, match="plugin 'broken' failed to load"):
        manager.connector("broken")


def test_block_switch_keeps_a_broken_plugin_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_distribution(tmp_path, "broken_connector", "broken = no_such_module_anywhere")
    monkeypatch.syspath_prepend(str(tmp_path))
    manager = get_plugin_manager(env={"BATON_BLOCK_PLUGINS": "broken"})
    assert manager.failures == []
    assert [(s.name, s.reason) for s in manager.skipped] == [("broken", "blocked by BATON_BLOCK_PLUGINS")]
    assert "hibob" in manager.connector_names()


def test_load_switch_loads_only_the_named_plugins() -> None:
    nothing = get_plugin_manager(env={"BATON_LOAD_PLUGINS": "nothing-by-this-name"})
    assert nothing.connector_names() == []
    assert ("hibob", "not listed in BATON_LOAD_PLUGINS") in [(s.name, s.reason) for s in nothing.skipped]
    assert get_plugin_manager(env={"BATON_LOAD_PLUGINS": "hibob"}).connector_names() == ["hibob"]


def test_built_in_plugin_source_is_the_host_distribution() -> None:
    manager = get_plugin_manager(env={})
    assert manager.sources["hibob"].built_in


def test_every_hook_spec_is_documented() -> None:
    assert set(HOOK_NAMES) >= {"connector_info", "validate", "list_resources", "list_grants"}
    for name in HOOK_NAMES:
        doc = getattr(hookspecs, name).__doc__ or ""
        assert "Called" in doc, f"hook {name} does not say when it is called"
        assert len(doc.split()) > 20, f"hook {name} is barely documented"


def _ctx():  # type: ignore[no-untyped-def]
    from framework.host.context import ConnectorContext

    return ConnectorContext(config={"toy-url": "x", "toy-token": "t"})
