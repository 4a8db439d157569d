"""Queuing a follow-up task never fails the page that asks for it."""

import logging
import os
import socket
import time

import pytest
import redis
from celery import Celery

from config.tasks import enqueue


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throwaway_app(broker_url: str, backend: str | None = None, **conf) -> Celery:
    app = Celery(f"throwaway-{time.monotonic_ns()}", broker=broker_url,
                 backend=backend or broker_url, set_as_current=False)
    app.conf.update(broker_connection_timeout=1, **conf)
    return app


def add_task(app: Celery):
    @app.task(name="throwaway.add")
    def add(a, b):
        return a + b

    return add


def test_a_dead_broker_is_logged_and_the_caller_goes_on_at_once(caplog):
    # given a broker (and result store) that nobody listens on
    app = throwaway_app(f"redis://127.0.0.1:{closed_port()}/0")
    add = add_task(app)

    # when a task is queued
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="config.tasks"):
        result = enqueue(add, 1, b=2)

    # then nothing is raised, the caller did not wait, and the loss is in the log
    assert result is None
    assert time.monotonic() - started < 1
    assert ["throwaway.add" in record.getMessage() for record in caplog.records] == [True]


def test_in_eager_mode_the_task_runs_at_once():
    app = throwaway_app("memory://", "cache+memory://", task_always_eager=True)
    add = add_task(app)

    assert enqueue(add, 1, b=2).get() == 3


def test_in_eager_mode_a_failing_task_still_fails_the_caller():
    app = throwaway_app("memory://", "cache+memory://", task_always_eager=True,
                        task_eager_propagates=True)

    @app.task(name="throwaway.fail")
    def fail():
        raise RuntimeError("the task failed")

    with pytest.raises(RuntimeError, match="the task failed"):
        enqueue(fail)


@pytest.mark.redis
def test_a_live_broker_receives_the_task():
    url = os.environ["REDIS_URL"]
    queue = f"test-enqueue-{os.getpid()}-{time.monotonic_ns()}"
    app = throwaway_app(url, task_default_queue=queue)
    add = add_task(app)
    server = redis.Redis.from_url(url)
    try:
        result = enqueue(add, 1, b=2)

        assert result is not None
        assert server.llen(queue) == 1
    finally:
        server.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        app.close()
