"""Serve the demo with Django's development server and say where, once it answers."""

import os
import threading

from django.contrib.staticfiles.management.commands.runserver import (
    Command as RunserverCommand,
)
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.translation import gettext as _

from cms.demo.serving import local_url, wait_until_answering

# How long the first answer may take (the first start checks the project and opens the
# database); after that the server goes on, only the announcement is given up.
WAIT_SECONDS = 120


class Command(RunserverCommand):
    help = (
        "Serve the site like runserver (same options), and print its address once it "
        "answers: `make run` uses it."
    )

    def run(self, **options):
        # With the autoreloader, the server runs in a child process restarted on every code
        # change; the parent announces it, once (the child has DJANGO_AUTORELOAD_ENV set).
        if os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            url = local_url(self.addr, self.port, ipv6=self._raw_ipv6)
            threading.Thread(target=self._announce, args=(url,), daemon=True).start()
        super().run(**options)

    def _announce(self, url: str) -> None:
        if wait_until_answering(f"{url}healthz", within=WAIT_SECONDS):
            self.stdout.write(self.style.SUCCESS(
                _("The demo site answers on %(url)s") % {"url": url}))
        else:
            self.stderr.write(
                _("The demo site still does not answer on %(url)s after %(seconds)d s: see "
                  "the server's messages above.") % {"url": url, "seconds": WAIT_SECONDS})
        self.stdout.flush()
