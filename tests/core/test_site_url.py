"""The demo's links (e-mails, the back office's) point to the port it serves on: without
SITE_URL, the development settings build it from PORT, as `make run` serves on PORT."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def dev_settings(*names: str, **environment) -> dict:
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}))"
    )
    env = {key: value for key, value in os.environ.items() if key not in {"PORT", "SITE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", **environment)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_port_nor_site_url_links_point_to_port_8000():
    values = dev_settings("SITE_URL", "WAGTAILADMIN_BASE_URL")

    assert values == {"SITE_URL": "http://127.0.0.1:8000",
                      "WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8000"}


def test_links_follow_the_port_the_demo_serves_on():
    values = dev_settings("SITE_URL", "WAGTAILADMIN_BASE_URL", PORT="8123")

    assert values == {"SITE_URL": "http://127.0.0.1:8123",
                      "WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8123"}


@pytest.mark.parametrize("port", [None, "8123"])
def test_a_site_url_given_wins_over_the_port(port):
    environment = {"SITE_URL": "https://marche.example.org/"} | ({"PORT": port} if port else {})

    values = dev_settings("SITE_URL", "WAGTAILADMIN_BASE_URL", **environment)

    assert values == {"SITE_URL": "https://marche.example.org",
                      "WAGTAILADMIN_BASE_URL": "https://marche.example.org"}
