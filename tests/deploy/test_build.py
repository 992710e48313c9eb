"""Installing builds out of tree: the checkout gains no build/ or *.egg-info, and the wheel ships the template."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_building_the_wheel_leaves_the_checkout_as_it_was(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in tracked.splitlines():
        if (ROOT / name).is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, checkout / name)
    before = sorted(p.relative_to(checkout) for p in checkout.rglob("*"))
    isolation = ["--no-build-isolation"] if find_spec("hatchling") else []
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *isolation, "-w", str(tmp_path / "dist"), "."],
        cwd=checkout,
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert sorted(p.relative_to(checkout) for p in checkout.rglob("*")) == before
    (wheel,) = (tmp_path / "dist").glob("connector_framework-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"framework/py.typed", "plugins/_template/pyproject.toml.in", "plugins/_template/tests/conftest.py"} <= names
    assert not any(name.startswith(("tests/", "build/")) for name in names)
