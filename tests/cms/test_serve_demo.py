"""`make run` serves the demo in the foreground and says where once the server answers;
it installs what the demo needs and no test tool."""

import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cms.demo.serving import local_url, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lines_until(process: subprocess.Popen, wanted: str, *, within: float) -> list[str]:
    """The server's output lines until one contains `wanted` (or `within` seconds)."""
    lines, deadline = [], time.monotonic() + within
    watch = selectors.DefaultSelector()
    watch.register(process.stdout, selectors.EVENT_READ)
    while time.monotonic() < deadline and not any(wanted in line for line in lines):
        if watch.select(timeout=0.5):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
    return lines


def test_the_demo_server_says_in_french_where_it_answers_once_it_does(tmp_path):
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "PORT": str(port),
           "PYTHONUNBUFFERED": "1"}
    env.pop("SITE_URL", None)
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve_demo", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        lines = lines_until(server, "Le site de démonstration répond", within=150)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)

    announced = [line for line in lines if "Le site de démonstration répond" in line]
    assert announced, "".join(lines)
    assert f"Le site de démonstration répond sur http://127.0.0.1:{port}/" in announced[0]


def test_waiting_for_a_server_that_never_answers_gives_up_in_time():
    started = time.monotonic()

    answered = wait_until_answering(f"http://127.0.0.1:{free_port()}/", within=1, every=0.2)

    assert not answered
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("addr", "port", "ipv6", "url"), [
    ("127.0.0.1", "8000", False, "http://127.0.0.1:8000/"),
    ("0.0.0.0", "8001", False, "http://127.0.0.1:8001/"),  # noqa: S104
    ("localhost", "8002", False, "http://localhost:8002/"),
    ("::1", "8003", True, "http://[::1]:8003/"),
])
def test_the_address_announced_is_the_one_a_local_browser_opens(addr, port, ipv6, url):
    assert local_url(addr, port, ipv6=ipv6) == url


def make_dry_run(target: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("needs make")
    result = subprocess.run(["make", "--dry-run", "--always-make", target], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_installs_the_project_without_the_test_tools():
    commands = make_dry_run("run")

    assert "pip install --quiet -e ." in commands
    assert "[test]" not in commands
    assert "manage.py serve_demo 127.0.0.1:" in commands


def test_make_test_installs_the_test_tools():
    # With the S3 storage extra: its settings are tested too.
    assert "pip install --quiet -e '.[test,s3]'" in make_dry_run("test")
