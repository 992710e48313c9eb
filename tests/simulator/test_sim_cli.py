"""The command line: it serves until stopped and prints where and how to connect."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
from contextlib import redirect_stdout
from pathlib import Path

import requests

from plugins.hibob.simulator import DEMO_SERVICE_USER_ID, DEMO_TOKEN
from plugins.hibob.simulator.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def _settings(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line.startswith("BATON_"))


def test_main_serves_a_generated_company_until_stopped() -> None:
    stop = threading.Event()
    out = io.StringIO()

    def run() -> None:
        with redirect_stdout(out):
            main(["--employees", "40", "--departments", "6", "--seed", "3", "--envelope", "both"], stop=stop)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        for _ in range(100):
            if "BATON_HIBOB_SERVICE_USER_TOKEN" in out.getvalue():
                break
            time.sleep(0.05)
        settings = _settings(out.getvalue())
        assert settings["BATON_HIBOB_SERVICE_USER_ID"] == DEMO_SERVICE_USER_ID
        assert settings["BATON_HIBOB_SERVICE_USER_TOKEN"] == DEMO_TOKEN
        base = settings["BATON_HIBOB_BASE_URL"]
        auth = (DEMO_SERVICE_USER_ID, DEMO_TOKEN)
        people = requests.post(f"{base}/people/search", json={"showInactive": True}, auth=auth, timeout=10)
        assert len(people.json()["employees"]) == 40
        lists = requests.get(f"{base}/company/named-lists/department", auth=auth, timeout=10).json()
        assert "items" in lists and "values" in lists
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_module_runs_as_a_program() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "plugins.hibob.simulator", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        settings = _settings("".join(lines))
        base = settings["BATON_HIBOB_BASE_URL"]
        assert base.startswith("http://127.0.0.1:") and base.endswith("/v1")
        auth = (settings["BATON_HIBOB_SERVICE_USER_ID"], settings["BATON_HIBOB_SERVICE_USER_TOKEN"])
        response = requests.get(f"{base}/company/people/fields", auth=auth, timeout=10)
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
