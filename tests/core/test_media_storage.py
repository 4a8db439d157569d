"""Uploaded media: local files unless an S3-compatible bucket is named in the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest

from config.storage import FILE_SYSTEM_BACKEND, MEDIA_CACHE_CONTROL, S3_BACKEND, media_storage

ROOT = Path(__file__).resolve().parents[2]
S3_ENVIRONMENT = {
    "AWS_STORAGE_BUCKET_NAME": "media",
    "AWS_S3_ENDPOINT_URL": "http://minio:9000",
    "AWS_ACCESS_KEY_ID": "market",
    "AWS_SECRET_ACCESS_KEY": "market-media-secret",
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_S3_ADDRESSING_STYLE": "path",
    "AWS_S3_CUSTOM_DOMAIN": "marche.example.org/media",
}


def storage_from(monkeypatch, environment: dict) -> dict:
    for name in (*S3_ENVIRONMENT, "AWS_S3_URL_PROTOCOL", "AWS_QUERYSTRING_AUTH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return media_storage(environ.Env())


@pytest.mark.parametrize("bucket", [None, "", "  "])
def test_without_a_bucket_media_stay_local_files(monkeypatch, bucket):
    environment = {} if bucket is None else {"AWS_STORAGE_BUCKET_NAME": bucket}

    assert storage_from(monkeypatch, environment) == {"BACKEND": FILE_SYSTEM_BACKEND}


def test_a_bucket_in_the_environment_sends_media_to_s3(monkeypatch):
    storage = storage_from(monkeypatch, S3_ENVIRONMENT)

    assert storage["BACKEND"] == S3_BACKEND
    assert storage["OPTIONS"] == {
        "bucket_name": "media",
        "endpoint_url": "http://minio:9000",
        "access_key": "market",
        "secret_key": "market-media-secret",
        "region_name": "us-east-1",
        "addressing_style": "path",
        "custom_domain": "marche.example.org/media",
        "url_protocol": "https:",
        "querystring_auth": False,
        "file_overwrite": False,
        "default_acl": None,
        "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
    }


def test_the_bucket_storage_gives_plain_public_urls_without_network(monkeypatch):
    pytest.importorskip("storages", reason="the [s3] extra is not installed")
    from storages.backends.s3 import S3Storage

    options = storage_from(monkeypatch, S3_ENVIRONMENT)["OPTIONS"]
    storage = S3Storage(**options)

    assert storage.url("images/velo.width-400.jpg") == (
        "https://marche.example.org/media/images/velo.width-400.jpg")


def settings_storages(settings_module: str, environment: dict) -> dict:
    script = ("import django, json; django.setup(); from django.conf import settings; "
              "print(json.dumps(settings.STORAGES))")
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update({"DJANGO_SETTINGS_MODULE": settings_module,
                "SECRET_KEY": "a-long-random-production-secret-key-0123456789",
                "ALLOWED_HOSTS": "marche.example.org", **environment})
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("settings_module", ["config.settings.dev",
                                             "config.settings.production"])
def test_each_environment_switches_on_the_bucket_and_keeps_its_static_files(settings_module):
    local = settings_storages(settings_module, {})
    bucket = settings_storages(settings_module, S3_ENVIRONMENT)

    assert local["default"] == {"BACKEND": FILE_SYSTEM_BACKEND}
    assert bucket["default"]["BACKEND"] == S3_BACKEND
    assert bucket["default"]["OPTIONS"]["endpoint_url"] == "http://minio:9000"
    assert bucket["staticfiles"] == local["staticfiles"]
