import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "marche.example.org",
        "DEBUG": "0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "ALLOWED_HOSTS": "marche.example.org"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_docker_compose_declares_the_production_stack():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis", "mailpit"} <= set(services)
    assert "gunicorn config.wsgi" in services["web"]["command"]
    assert "celery -A config worker" in services["worker"]["command"]
    assert "celery -A config beat" in services["beat"]["command"]
    assert services["db"]["image"].startswith("postgres:16")
    assert any(volume.startswith("pgdata:") for volume in services["db"]["volumes"])


def test_env_example_lists_every_setting_read_from_the_environment():
    names = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }

    assert {
        "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SITE_URL", "DEFAULT_FROM_EMAIL",
        "STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET",
        "STRIPE_CONNECT_WEBHOOK_SECRET", "STRIPE_API_BASE", "STRIPE_PAYMENT_INTENT_PARAMS",
        "TRUSTED_PROXY_COUNT",
    } <= names
