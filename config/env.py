"""Reading structured settings from the environment."""

import json

import environ
from django.core.exceptions import ImproperlyConfigured


def env_json_object(env: environ.Env, name: str, *, default: dict) -> dict:
    """A JSON object from the environment variable `name`; unset or empty gives `default`
    (an empty line in an env file means "not set")."""
    if not env.str(name, default="").strip():
        return default
    try:
        value = env.json(name)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}") from error
    if not isinstance(value, dict):
        raise ImproperlyConfigured(
            f"{name} must be a JSON object ({{...}}), not {type(value).__name__}: {value!r}"
        )
    return value
