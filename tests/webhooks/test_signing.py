"""Signatures, checked by the test's own receiver (tests/webhooks/receiver.py) from the documented algorithm."""

import re
import time
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.test import override_settings

from tests.webhooks.base import SECRET, ReceiverTestCase
from tests.webhooks.receiver import verify_signature
from webhooks.tasks import attempt_delivery


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
class SignatureTests(ReceiverTestCase):
    def received(self):
        attempt_delivery(self.delivery().pk, 1)
        [received] = self.receiver.received
        return received

    def test_the_receiver_verifies_the_signature_with_the_shared_secret(self):
        self.assertTrue(self.received().verified)

    def test_the_header_is_a_timestamp_and_a_hex_hmac(self):
        header = self.received().headers["x-webhook-signature"]

        match = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", header)
        self.assertIsNotNone(match)
        self.assertLessEqual(abs(int(match[1]) - time.time()), 5)

    def test_a_changed_body_does_not_verify(self):
        received = self.received()
        header = received.headers["x-webhook-signature"]

        self.assertFalse(verify_signature(SECRET, header, received.body.replace(b'"claim"', b'"actor"')))
        self.assertFalse(verify_signature(SECRET, header, received.body + b" "))

    def test_another_secret_does_not_verify(self):
        received = self.received()

        self.assertFalse(
            verify_signature("someone-elses-secret", received.headers["x-webhook-signature"], received.body)
        )

    def test_the_timestamp_is_signed_with_the_body(self):
        received = self.received()
        t, v1 = received.headers["x-webhook-signature"].split(",")
        later = int(t.removeprefix("t=")) + 60

        self.assertFalse(verify_signature(SECRET, f"t={later},{v1}", received.body))

    def test_an_old_signature_is_refused_as_a_replay(self):
        received = self.received()
        header = received.headers["x-webhook-signature"]

        self.assertFalse(verify_signature(SECRET, header, received.body, now=time.time() + 600))

    def test_each_attempt_is_signed_when_it_is_sent(self):
        self.receiver.answer_with(500)
        delivery = self.delivery()

        with mock.patch("webhooks.tasks.time.time", return_value=1_700_000_000):
            attempt_delivery(delivery.pk, 1)
        attempt_delivery(delivery.pk, 2)

        first, second = (r.headers["x-webhook-signature"] for r in self.receiver.received)
        self.assertTrue(first.startswith("t=1700000000,"))
        self.assertLessEqual(abs(int(second.split(",")[0].removeprefix("t=")) - time.time()), 5)
        self.assertTrue(self.receiver.received[1].verified)


def readme_verify():
    """The verification snippet of the README's "Verifying a delivery", as a receiver would copy it."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("### Verifying a delivery", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify"]


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
class ReadmeSnippetTests(ReceiverTestCase):
    def test_the_readme_snippet_verifies_a_delivery_and_refuses_a_changed_one(self):
        verify = readme_verify()
        attempt_delivery(self.delivery().pk, 1)
        [received] = self.receiver.received
        header = received.headers["x-webhook-signature"]

        self.assertTrue(verify(SECRET, header, received.body))
        self.assertFalse(verify(SECRET, header, received.body + b"\n"))
        self.assertFalse(verify("another-secret-entirely", header, received.body))
        self.assertFalse(verify(SECRET, "t=nonsense", received.body))
