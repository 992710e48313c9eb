"""``connector new``: a copy of the plugin template with the new plugin's names filled in.

The template (:mod:`plugins._template`) is a working plugin named ``skeleton``
that ships inside this distribution, so ``connector new`` works from an
installed wheel. Its files are copied into a standalone distribution: the
package becomes ``<name>_connector``, ``pyproject.toml.in`` becomes the
distribution's ``pyproject.toml`` (declaring the ``framework.connectors`` entry
point), and ``tests/`` stays next to it. Every spelling of the placeholder name
is replaced, and a copy that still holds one, or whose Python does not compile,
is refused before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from framework.host.errors import ConfigError

TEMPLATE_PACKAGE = "plugins._template"
PLACEHOLDER = "skeleton"
NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
SKIPPED = ("__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "ruff.toml")
"""Never copied: caches, and the template's own lint settings inside this repository."""
TEXT_SUFFIXES = (".py", ".md", ".in", ".yaml")
"""Files whose names inside are filled in; any other file is copied as it is."""


@dataclass(frozen=True, slots=True)
class PluginNames:
    """Every spelling of a plugin name: ``acme-hr`` is the plugin, flags and distribution prefix."""

    name: str

    @property
    def snake(self) -> str:
        return self.name.replace("-", "_")

    @property
    def package(self) -> str:
        return f"{self.snake}_connector"

    @property
    def camel(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("-"))

    @property
    def distribution(self) -> str:
        return f"{self.name}-connector"

    def replacements(self) -> list[tuple[str, str]]:
        """In order: the package path first, identifiers before the bare (kebab) name."""
        return [
            (TEMPLATE_PACKAGE, self.package),
            (TEMPLATE_PACKAGE.replace(".", "/"), self.package),
            (PLACEHOLDER.upper(), self.snake.upper()),
            (PLACEHOLDER.capitalize(), self.camel),
            (f"{PLACEHOLDER}_", f"{self.snake}_"),
            (f"_{PLACEHOLDER}", f"_{self.snake}"),
            (PLACEHOLDER, self.name),
        ]

    def render(self, text: str) -> str:
        for old, new in self.replacements():
            text = text.replace(old, new)
        return text


def check_name(name: str) -> PluginNames:
    if not NAME_PATTERN.fullmatch(name) or name == PLACEHOLDER:
        raise ConfigError(
            f"plugin name {name!r} must be lower case letters and digits, optionally joined by single hyphens "
            "(e.g. acme or acme-hr), and not the template's own name"
        )
    return PluginNames(name)


def _walk(node: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name in SKIPPED or child.name.endswith(".pyc"):
            continue
        path = f"{prefix}{child.name}"
        if child.is_dir():
            yield from _walk(child, f"{path}/")
        else:
            yield path, child


def target(relative: str, names: PluginNames) -> str:
    """Where a template file lands in the new distribution."""
    if relative == "pyproject.toml.in":
        return "pyproject.toml"
    if relative == "README.md" or relative.startswith("tests/"):
        return names.render(relative)
    return f"{names.package}/{relative}"


def render_template(names: PluginNames) -> dict[str, bytes]:
    """Target path to content, for every template file, with names filled in and checked."""
    rendered: dict[str, bytes] = {}
    for relative, source in _walk(files(TEMPLATE_PACKAGE)):
        path = target(relative, names)
        if not relative.endswith(TEXT_SUFFIXES):
            rendered[path] = source.read_bytes()
            continue
        text = names.render(source.read_text(encoding="utf-8"))
        leftover = re.search(rf"{PLACEHOLDER}|_template", text, re.IGNORECASE)
        if leftover:
            raise ConfigError(f"template bug: {relative} still says {leftover.group(0)!r} after renaming")
        if path.endswith(".py"):
            compile(text, path, "exec")
        rendered[path] = text.encode("utf-8")
    if "pyproject.toml" not in rendered:
        raise ConfigError(f"the plugin template in {TEMPLATE_PACKAGE} is incomplete: no pyproject.toml.in")
    return rendered


def create(name: str, dest: Path) -> list[Path]:
    """Write a new plugin distribution into ``dest`` (missing or empty) and return the files written."""
    names = check_name(name)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ConfigError(f"{dest} already exists and is not an empty folder; choose another --dest")
    written = []
    for relative, content in render_template(names).items():
        path = dest / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written
