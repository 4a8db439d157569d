"""Settings read from the environment: STRIPE_PAYMENT_INTENT_PARAMS as a JSON object."""

import json
import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_json_object

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = {"automatic_payment_methods": {"enabled": True}}


def read(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("SOME_JSON", raising=False)
    else:
        monkeypatch.setenv("SOME_JSON", value)
    return env_json_object(environ.Env(), "SOME_JSON", default=DEFAULT)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_an_unset_or_empty_variable_gives_the_default(monkeypatch, value):
    assert read(monkeypatch, value) == DEFAULT


def test_a_json_object_is_read(monkeypatch):
    value = '{"payment_method_types": ["card"], "transfer_group": "{checkout_reference}"}'

    assert read(monkeypatch, value) == {
        "payment_method_types": ["card"], "transfer_group": "{checkout_reference}"}


@pytest.mark.parametrize(("value", "message"), [
    ("{not json", "SOME_JSON is not valid JSON"),
    ('["card"]', "SOME_JSON must be a JSON object"),
    ('"card"', "SOME_JSON must be a JSON object"),
    ("null", "SOME_JSON must be a JSON object"),
])
def test_anything_else_stops_the_start_with_a_clear_message(monkeypatch, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        read(monkeypatch, value)


def settings_value(name: str, **environment) -> subprocess.CompletedProcess:
    script = (f"import django, json; django.setup(); from django.conf import settings; "
              f"print(json.dumps(settings.{name}))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", **environment}
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_payment_intent_parameters_come_from_the_environment():
    params = {"payment_method_types": ["card"], "transfer_group": "{checkout_reference}"}

    result = settings_value("STRIPE_PAYMENT_INTENT_PARAMS",
                            STRIPE_PAYMENT_INTENT_PARAMS=json.dumps(params))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == params


def test_left_empty_the_payment_intent_parameters_keep_their_default():
    result = settings_value("STRIPE_PAYMENT_INTENT_PARAMS", STRIPE_PAYMENT_INTENT_PARAMS="")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "automatic_payment_methods": {"enabled": True},
        "transfer_group": "{checkout_reference}",
    }


def test_payment_intent_parameters_that_are_not_an_object_stop_the_start():
    result = settings_value("STRIPE_PAYMENT_INTENT_PARAMS",
                            STRIPE_PAYMENT_INTENT_PARAMS='["card"]')

    assert result.returncode != 0
    assert "STRIPE_PAYMENT_INTENT_PARAMS must be a JSON object" in result.stderr
