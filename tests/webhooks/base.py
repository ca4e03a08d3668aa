"""Shared set-up for webhook tests: endpoints made directly (no address check, no network) and the bodies queued."""

import json
import signal
from contextlib import contextmanager

from django.core.management import call_command
from django.test import TestCase

from tests.base import BaseTestCase
from tests.webhooks.receiver import Receiver
from webhooks.models import Delivery, Endpoint, Event

# A public address no test ever sends to: deliveries queued for it stay queued (no worker runs in these tests).
NOWHERE = "https://93.184.215.14/hooks"


def make_endpoint(
    *, events=tuple(Event.values), url: str = NOWHERE, active: bool = True, name: str = "Newsroom", **fields
) -> Endpoint:
    return Endpoint.objects.create(name=name, url=url, events=list(events), active=active, **fields)


def bodies(event: str | None = None) -> list[dict]:
    """The bodies queued so far, oldest first (each event once, whatever the number of endpoints)."""
    deliveries = Delivery.objects.order_by("pk")
    if event:
        deliveries = deliveries.filter(event=event)
    seen, found = set(), []
    for delivery in deliveries:
        if delivery.event_id not in seen:
            seen.add(delivery.event_id)
            found.append(json.loads(delivery.body))
    return found


def run_worker() -> None:
    """Run every task that is due with the database backend's own worker, then stop (its --batch mode)."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    finally:
        for number, handler in handlers.items():  # the worker takes over Ctrl-C while it runs
            signal.signal(number, handler)


class WebhookTestCase(BaseTestCase):
    @contextmanager
    def committed(self):
        """Run the block as a transaction that commits: what waits for the commit runs at the end."""
        with self.captureOnCommitCallbacks(execute=True):
            yield


SECRET = "a-shared-secret-of-some-length"


class ReceiverTestCase(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = Receiver(SECRET).start()
        cls.addClassCleanup(cls.receiver.stop)

    def setUp(self):
        self.receiver.received.clear()
        self.receiver.statuses = []

    def delivery(self, path: str = "/hook", **fields) -> Delivery:
        endpoint = make_endpoint(url=self.receiver.url(path), secret=SECRET, **fields)
        body = json.dumps({"id": "e1", "type": Event.RECORD_APPROVED, "data": {"kind": "claim", "id": 1}})
        return Delivery.objects.create(endpoint=endpoint, event=Event.RECORD_APPROVED, body=body)
