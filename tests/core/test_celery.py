import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from config.celery import app, ping

ROOT = Path(__file__).resolve().parents[2]


def test_tasks_run_eagerly_without_a_broker(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER
    assert ping.delay().get(timeout=5) == "pong"


def test_tasks_acknowledge_late_so_a_lost_worker_does_not_lose_them():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


@pytest.mark.redis
def test_a_task_runs_through_redis_and_a_real_worker():
    redis_url = os.environ["REDIS_URL"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "REDIS_URL": redis_url}
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
         "-Q", queue, "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    client = Celery("client", broker=redis_url, backend=redis_url)
    try:
        result = client.send_task("config.ping", queue=queue)

        assert result.get(timeout=60) == "pong"
    finally:
        client.close()
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
