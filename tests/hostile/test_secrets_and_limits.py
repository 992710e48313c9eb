"""A hostile upstream through the real CLI: secrets it echoes, bodies that never end, grow,
nest or drip, and redirects. Each fails with its documented exit code and one line naming
the endpoint and the limit, within bounded time and memory, leaving the previous sync intact
and no secret in any output or in the sync file's bytes."""

from __future__ import annotations

import base64
import contextlib
import gzip
import io
import json
import shutil
import socket
import sqlite3
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import requests

from framework.host.errors import UpstreamError
from framework.host.http import HttpClient, HttpPolicy, HttpStats
from plugins.hibob.simulator import Simulator
from tests.hostile.conftest import DEPARTMENTS, FIELDS, SEARCH, Cli, Front, Run, secrets_of, send


def _complete_syncs(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM syncs WHERE status = 'complete'").fetchone()[0])


def _fails_cleanly(run: Run, code: int, *words: str) -> None:
    assert run.code == code, run.stderr
    assert run.error_line, run.stderr
    assert "Traceback" not in run.stderr
    for word in words:
        assert word in run.error_line


def _no_secret(sim: Simulator, run: Run, *files: Path) -> None:
    texts = [run.stdout, run.stderr] + [path.read_bytes().decode("latin-1") for path in files]
    for secret in secrets_of(sim):
        for text in texts:
            assert secret not in text


def test_an_error_body_echoing_the_credentials_leaks_them_nowhere(
    cli: Cli, front: Front, sim: Simulator, synced: Path
) -> None:
    def echo(handler: BaseHTTPRequestHandler, _: bytes) -> None:
        basic = handler.headers["Authorization"]
        pair = base64.b64decode(basic.split()[1]).decode()
        message = f"bad request {basic} for {pair} token={sim.token}&user={sim.service_user_id} " + "x" * 5000
        send(handler, 400, json.dumps({"error": message, "message": {"deep": [[[[]]]]}}).encode())

    front.hijack(DEPARTMENTS, echo)
    run = cli("sync", "hibob", "--quiet", "--file", "sync.db", "--log-level", "debug")
    assert run.code == 4, run.stderr
    assert "********" in run.error_line
    assert len(run.error_line) < 400  # the body is shortened
    _no_secret(sim, run, synced)
    assert _complete_syncs(synced) == 1


def test_a_deeply_nested_error_body_is_exit_4_not_a_crash(cli: Cli, front: Front) -> None:
    body = b'{"error": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    front.hijack(FIELDS, lambda handler, _: send(handler, 400, body))
    _fails_cleanly(cli("validate", "hibob"), 4, "GET /company/people/fields answered 400")


@pytest.mark.parametrize("token", ["t\u00f6ken-\u20ac", "token\r\nX-Injected: 1"])
def test_a_credential_a_header_cannot_carry_is_a_config_error(cli: Cli, token: str) -> None:
    run = cli("validate", "hibob", BATON_HIBOB_SERVICE_USER_TOKEN=token)
    _fails_cleanly(run, 2, "credential")
    assert token not in run.stderr


BOMB = gzip.compress(b'{"name": "department", "items": [' + b" " * (400 * 1024 * 1024) + b"]}", 1)


def test_a_gzip_bomb_stops_at_the_size_cap_in_bounded_memory(cli: Cli, front: Front, synced: Path) -> None:
    front.hijack(DEPARTMENTS, lambda handler, _: send(handler, 200, BOMB, Content_Encoding="gzip"))
    run = cli("sync", "hibob", "--quiet", "--file", "sync.db")
    _fails_cleanly(run, 5, "GET /company/named-lists/department", "64 MiB")
    assert run.peak_rss_mib < 400, run.peak_rss_mib
    assert _complete_syncs(synced) == 1


def test_the_size_cap_is_a_host_option(cli: Cli, front: Front) -> None:
    run = cli("sync", "hibob", "--quiet", "--file", "s.db", "--http-max-body-mb", "0.01")
    _fails_cleanly(run, 5, "more than 10,485 bytes")


def test_a_record_nested_100000_levels_deep_is_refused_in_bounded_memory(cli: Cli, front: Front, synced: Path) -> None:
    record = b'{"id": "1", "about": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_000 + b"}"
    front.hijack(SEARCH, lambda handler, _: send(handler, 200, b'{"employees": [' + record + b"]}"))
    run = cli("sync", "hibob", "--quiet", "--file", "sync.db")
    _fails_cleanly(run, 5, "POST /people/search", "nested deeper than 100 levels")
    assert run.peak_rss_mib < 400, run.peak_rss_mib
    assert _complete_syncs(synced) == 1


def test_an_80_mb_string_is_refused_fast(cli: Cli, front: Front, synced: Path) -> None:
    record = b'{"id": "1", "about": {"text": "' + b"x" * (80 * 1024 * 1024) + b'"}}'
    front.hijack(SEARCH, lambda handler, _: send(handler, 200, b'{"employees": [' + record + b"]}"))
    run = cli("sync", "hibob", "--quiet", "--file", "sync.db")
    _fails_cleanly(run, 5, "POST /people/search", "string longer than 4 MiB")
    assert run.seconds < 20
    assert _complete_syncs(synced) == 1


def _drip(handler: BaseHTTPRequestHandler, _: bytes) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "1000000")
    handler.end_headers()
    try:
        for _ in range(60):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


@pytest.mark.parametrize("endpoint", [DEPARTMENTS, SEARCH])
def test_a_dripping_answer_ends_at_the_deadline(cli: Cli, front: Front, synced: Path, endpoint: str) -> None:
    front.hijack(endpoint, _drip)
    run = cli("sync", "hibob", "--quiet", "--file", "sync.db", "--http-deadline", "1.5", "--http-max-retries", "0")
    _fails_cleanly(run, 4, endpoint.replace("/v1", ""), "took longer than 1.5s")
    assert run.seconds < 10
    assert _complete_syncs(synced) == 1


def _redirect(location: str, status: int = 302) -> object:
    def answer(handler: BaseHTTPRequestHandler, _: bytes) -> None:
        send(handler, status, b"", Location=location)

    return answer


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("http://evil.example:8080/v1/x?token=abc", "to another origin, http://evil.example:8080"),
        ("https://user:pw@other.example/steal?q=1", "to another origin, https://other.example"),
    ],
)
def test_a_redirect_to_another_origin_is_refused_naming_only_its_origin(
    cli: Cli, front: Front, location: str, shown: str
) -> None:
    front.hijack(SEARCH, _redirect(location))  # type: ignore[arg-type]
    run = cli("sync", "hibob", "--quiet", "--file", "s.db")
    _fails_cleanly(run, 4, "POST /people/search was redirected", shown)
    for hidden in ("token=abc", "user:pw", "/steal", "/v1/x"):
        assert hidden not in run.stderr


def test_a_redirect_within_the_origin_keeps_the_method_and_body(cli: Cli, front: Front, sim: Simulator) -> None:
    front.hijack(SEARCH, _redirect(front.base_url + "/people/search-again", 301))  # type: ignore[arg-type]
    front.hijack(
        "POST /v1/people/search-again",
        lambda handler, body: front.forward(handler, "POST", "/v1/people/search", body),
    )
    run = cli("sync", "hibob", "--quiet", "--file", "s.db")
    assert run.code == 0, run.stderr
    redirected = front.seen.count("POST /v1/people/search-again")
    assert redirected >= 1
    assert redirected == front.seen.count("POST /v1/people/search")
    searches = [seen for seen in sim.requests if seen.path == "/v1/people/search"]
    assert searches and all(seen.method == "POST" and seen.json["showInactive"] is True for seen in searches)


def test_a_redirect_from_https_to_http_is_refused_even_to_the_same_host() -> None:
    client = HttpClient("https://api.example.com/v1", auth=None, policy=HttpPolicy(), stats=HttpStats())
    response = requests.Response()
    response.status_code, response.url = 308, "https://api.example.com/v1/people/search"
    response.raw = io.BytesIO(b"")
    response.headers["Location"] = "http://api.example.com/v1/people/search"
    with pytest.raises(UpstreamError, match="redirected from https to http; redirects are followed only within"):
        client._redirect_target(response, "POST /people/search", 0)


def test_invalid_utf8_in_a_record_keeps_the_person_out_of_the_error(cli: Cli, front: Front, synced: Path) -> None:
    record = b'{"id": "1", "displayName": "Private\xff Person", "email": "private.person@example.com"}'
    front.hijack(SEARCH, lambda handler, _: send(handler, 200, b'{"employees": [' + record + b"]}"))
    run = cli("sync", "hibob", "--quiet", "--file", "sync.db")
    _fails_cleanly(run, 5, "POST /people/search")
    for personal in ("Private", "private.person"):
        assert personal not in run.stderr
        assert personal.encode() not in synced.read_bytes()
    assert _complete_syncs(synced) == 1


def test_an_answer_cut_short_is_retried_like_a_reset(cli: Cli, front: Front) -> None:
    cut: list[int] = []

    def once_cut(handler: BaseHTTPRequestHandler, body: bytes) -> None:
        if cut:
            front.forward(handler, "GET", "/v1/company/named-lists/department?includeArchived=true", body)
            return
        cut.append(1)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "5000")
        handler.end_headers()
        handler.wfile.write(b'{"name": "department", "items": [')
        handler.close_connection = True

    front.hijack(DEPARTMENTS, once_cut)
    run = cli("sync", "hibob", "--quiet", "--file", "s.db")
    assert run.code == 0, run.stderr
    assert front.seen.count(DEPARTMENTS) == 2


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_a_tls_failure_is_one_clean_line_naming_the_host(cli: Cli, tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=other.example"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = context.wrap_socket(socket.create_server(("127.0.0.1", 0)), server_side=True)
    port = listener.getsockname()[1]

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                connection.close()

    threading.Thread(target=accept, daemon=True).start()
    try:
        run = cli("validate", "hibob", BATON_HIBOB_BASE_URL=f"https://127.0.0.1:{port}/v1")
    finally:
        listener.close()
    _fails_cleanly(run, 4, "TLS with 127.0.0.1 failed (", "REQUESTS_CA_BUNDLE")
    assert "_ssl.c" not in run.stderr and "SSLError" not in run.stderr
