"""``jangbu serve`` answers over HTTP from a real server process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from click.testing import CliRunner

from cli import create_cli
from tests.conftest import make_plugins


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_prints_its_address_and_answers(tmp_path):
    url = f"sqlite:///{tmp_path / 'served.db'}"
    assert CliRunner().invoke(create_cli(make_plugins()), ["--database", url, "db", "upgrade"]).exit_code == 0
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from cli import main; main()",
            "--database",
            url,
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"JANGBU_SECRET_KEY": "test", "JANGBU_INSTANCE_PATH": str(tmp_path), "PATH": ""},
    )
    try:
        assert server.stdout.readline().strip() == f"Jangbu is at http://localhost:{port}/  (Ctrl+C stops it)"
        for _ in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as page:
                    assert page.status == 200 and b"Sign in" in page.read()
                    assert (
                        "waitress" in page.headers.get("Server", "") or page.headers.get("Server") == "jangbu"
                    )
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(server.stderr.read())
    finally:
        server.terminate()
        server.wait(timeout=10)
