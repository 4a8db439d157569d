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


def compose_services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_web_runs_in_replicas_behind_the_proxy_and_never_migrates():
    services = compose_services()

    web = services["web"]
    assert "migrate" not in web["command"]
    assert "ports" not in web, "replicas cannot share a published port: the proxy has it"
    assert web["deploy"]["replicas"] == "${WEB_REPLICAS:-2}"
    assert web["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "healthz" in " ".join(web["healthcheck"]["test"])

    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert proxy["depends_on"]["web"] == {"condition": "service_healthy"}
    assert proxy["ports"] == ["${HTTP_PORT:-8000}:80"]
    assert "healthcheck" in proxy


def test_migrations_run_once_before_web_worker_and_beat():
    services = compose_services()

    migrate = services["migrate"]
    assert migrate["command"] == "python manage.py migrate --noinput"
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"}, name
        assert "migrate" not in services[name]["command"], name


def test_workers_scale_on_their_own_and_beat_stays_single():
    services = compose_services()

    assert services["worker"]["deploy"]["replicas"] == "${WORKER_REPLICAS:-1}"
    assert "celery@$$HOSTNAME" in services["worker"]["healthcheck"]["test"][1]
    assert services["beat"]["deploy"]["replicas"] == 1


def test_sessions_cache_and_media_are_shared_by_every_replica():
    services = compose_services()

    for name in ("migrate", "web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["REDIS_URL"] == "redis://redis:6379/0", name
        assert environment["AWS_STORAGE_BUCKET_NAME"] == "media", name
        assert environment["AWS_S3_ENDPOINT_URL"] == "http://minio:9000", name
        assert "private:/app/var/private" in services[name]["volumes"], name
    assert services["minio"]["image"].startswith("minio/minio")
    assert "mc ready local" in " ".join(services["minio"]["healthcheck"]["test"])
    assert "mc mb --ignore-existing store/media" in services["minio-bucket"]["entrypoint"]
    assert services["web"]["depends_on"]["minio-bucket"] == {
        "condition": "service_completed_successfully"}


def test_every_long_running_service_has_a_healthcheck():
    services = compose_services()

    one_shot = {"migrate", "minio-bucket", "beat", "mailpit"}
    for name, service in services.items():
        if name not in one_shot:
            assert "healthcheck" in service, name


def test_the_proxy_spreads_requests_over_the_replicas_and_serves_the_media_bucket():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()

    assert "resolver 127.0.0.11" in conf
    assert "server web:8000 resolve;" in conf
    assert "proxy_pass http://web;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "location /media/" in conf and "server minio:9000 resolve;" in conf


def test_the_image_leaves_secrets_and_local_state_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())

    assert {".env", "var", ".venv", ".git", "media", "staticfiles"} <= ignored
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'pip install --no-cache-dir ".[s3]"' in dockerfile
    assert "collectstatic --noinput" in dockerfile
