"""A Celery worker of the project in a subprocess, for the benchmarks that time work as
production does it: tasks published to the Redis broker and run by `celery worker`.

    with CeleryWorker(app=celery_app, log=path, concurrency=2) as worker:
        ...  # publish tasks; worker.pid, worker.hostname

The worker runs under the production settings (DEBUG off, as in docker-compose's
`worker`), on the DATABASE_URL, REDIS_URL and PRIVATE_MEDIA_ROOT of the calling process.
It is waited for until it answers a ping, and stopped with a warm shutdown (SIGTERM: the
task in hand is finished) when the block ends, by an error or Ctrl-C too; it is killed
only if it has not stopped after `stop_timeout` seconds.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class WorkerError(RuntimeError):
    """The worker did not start or died."""


class CeleryWorker:
    def __init__(self, *, app, log: Path, concurrency: int = 1, start_timeout: float = 60,
                 stop_timeout: float = 120):
        self.app, self.log, self.concurrency = app, log, concurrency
        self.start_timeout, self.stop_timeout = start_timeout, stop_timeout
        self.hostname = f"bench-{os.getpid()}@{socket.gethostname()}"
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-worker-not-secret",
            "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS") or "127.0.0.1",
            "DEBUG": "False",
            "CELERY_TASK_ALWAYS_EAGER": "False",
        }

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def __enter__(self) -> "CeleryWorker":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        command = [str(BIN / "celery"), "-A", "config", "worker", "-n", self.hostname,
                   "-c", str(self.concurrency), "--without-gossip", "--without-mingle",
                   "--loglevel=INFO"]
        with self.log.open("ab") as log:
            # A session of its own: Ctrl-C reaches this script only, which then stops the
            # worker once, warmly, rather than the terminal signalling both.
            self.process = subprocess.Popen(  # noqa: S603 - our own fixed command
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            self.check_alive()
            if self.app.control.ping(destination=[self.hostname], timeout=1.0):
                return
        raise WorkerError(f"the worker did not answer within {self.start_timeout:.0f} s; "
                          f"see {self.log}")

    def check_alive(self) -> None:
        if self.process is None or self.process.poll() is not None:
            code = self.process.returncode if self.process else None
            raise WorkerError(f"the worker is not running (exit code {code}); see {self.log}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
