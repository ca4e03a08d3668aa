"""Delivering: the signed POST, retries with exponential back-off, and the safe-request rules.

The receiver runs on 127.0.0.1 (tests/webhooks/receiver.py), so these tests allow
private addresses except where they test that refusal. Nothing reaches the internet.
"""

import json
import time
from datetime import timedelta
from unittest import mock

from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims.models import ReviewState
from sources import fetching
from tests.base import approve, make_claim, make_source, make_user
from tests.webhooks.base import SECRET, ReceiverTestCase, make_endpoint, run_worker
from tests.webhooks.receiver import Receiver
from webhooks import sending
from webhooks.models import Delivery, DeliveryState, Event, retry_delay
from webhooks.tasks import attempt_delivery


@override_settings(WEBHOOK_ALLOW_PRIVATE=True, WEBHOOK_MAX_ATTEMPTS=10, WEBHOOK_RETRY_BASE_SECONDS=60)
class AttemptTests(ReceiverTestCase):
    def test_a_2xx_answer_delivers_it(self):
        delivery = self.delivery()

        self.assertEqual(attempt_delivery(delivery.pk, 1), DeliveryState.DELIVERED)

        delivery.refresh_from_db()
        self.assertEqual((delivery.state, delivery.attempts, delivery.response_status), ("delivered", 1, 200))
        self.assertEqual(delivery.response_excerpt, "answer 1: 200")
        self.assertIsNotNone(delivery.delivered_at)
        self.assertFalse(DBTaskResult.objects.exists())  # nothing more to do

    def test_it_posts_the_body_as_stored_with_its_event_headers(self):
        delivery = self.delivery()

        attempt_delivery(delivery.pk, 1)

        [received] = self.receiver.received
        self.assertEqual(received.body, delivery.body.encode())
        self.assertEqual(received.headers["content-type"], "application/json")
        self.assertEqual(received.headers["x-webhook-event"], "record.approved")
        self.assertEqual(received.headers["x-webhook-id"], str(delivery.event_id))
        self.assertEqual(received.headers["x-webhook-delivery"], str(delivery.pk))
        self.assertEqual(received.headers["x-webhook-attempt"], "1")

    def test_a_failed_attempt_is_retried_after_the_back_off(self):
        self.receiver.answer_with(500)
        delivery = self.delivery()

        before = timezone.now()
        self.assertEqual(attempt_delivery(delivery.pk, 1), DeliveryState.RETRYING)

        delivery.refresh_from_db()
        self.assertEqual((delivery.state, delivery.attempts, delivery.response_status), ("retrying", 1, 500))
        self.assertEqual(delivery.last_error, "The receiver answered 500.")
        self.assertGreaterEqual(delivery.next_attempt_at, before + timedelta(seconds=60))
        self.assertLess(delivery.next_attempt_at, timezone.now() + timedelta(seconds=61))
        task = DBTaskResult.objects.get()
        self.assertEqual(task.args_kwargs["args"], [delivery.pk, 2])
        self.assertEqual(task.run_after, delivery.next_attempt_at)

    def test_the_back_off_doubles_until_the_attempts_run_out(self):
        self.assertEqual(
            [retry_delay(attempt) for attempt in range(1, 11)],
            [timedelta(minutes=minutes) for minutes in (1, 2, 4, 8, 16, 32, 64, 128, 256)] + [None],
        )

    @override_settings(WEBHOOK_MAX_ATTEMPTS=2)
    def test_it_gives_up_after_the_last_attempt(self):
        self.receiver.answer_with(500, 502)
        delivery = self.delivery()

        attempt_delivery(delivery.pk, 1)
        self.assertEqual(attempt_delivery(delivery.pk, 2), DeliveryState.FAILED)

        delivery.refresh_from_db()
        self.assertEqual((delivery.attempts, delivery.response_status, delivery.next_attempt_at), (2, 502, None))
        self.assertEqual(DBTaskResult.objects.count(), 1)  # the retry after the first attempt only

    def test_an_attempt_already_made_is_not_made_again(self):
        delivery = self.delivery()

        attempt_delivery(delivery.pk, 1)
        self.assertEqual(attempt_delivery(delivery.pk, 1), "skipped")

        self.assertEqual(len(self.receiver.received), 1)

    def test_a_redirect_is_not_followed(self):
        self.receiver.answer_with(302)
        delivery = self.delivery()

        attempt_delivery(delivery.pk, 1)

        delivery.refresh_from_db()
        self.assertEqual((delivery.state, delivery.response_status), ("retrying", 302))
        self.assertIn("Redirects are not followed", delivery.last_error)
        self.assertEqual([r.path for r in self.receiver.received], ["/hook"])

    def test_only_the_start_of_an_endless_answer_is_read(self):
        delivery = self.delivery(path="/huge")

        started = time.monotonic()
        attempt_delivery(delivery.pk, 1)

        self.assertLess(time.monotonic() - started, 5)
        delivery.refresh_from_db()
        self.assertEqual(delivery.state, "delivered")
        self.assertEqual(len(delivery.response_excerpt), sending.EXCERPT_CHARACTERS)
        self.assertLess(self.receiver.huge_bytes_sent, 50 * 1024 * 1024)

    def test_a_receiver_that_does_not_answer_in_time_fails_the_attempt(self):
        delivery = self.delivery(path="/slow")
        self.receiver.answer_with(200)

        with mock.patch.object(sending, "TOTAL_TIMEOUT_SECONDS", 0.3):  # the receiver takes 2 s
            attempt_delivery(delivery.pk, 1)

        delivery.refresh_from_db()
        self.assertEqual((delivery.state, delivery.response_status), ("retrying", None))
        self.assertEqual(delivery.last_error, "The receiver did not answer within 0.3 seconds.")

    def test_an_unreachable_receiver_fails_the_attempt(self):
        delivery = self.delivery()
        delivery.endpoint.url = "http://127.0.0.1:9/hook"  # the discard port: nothing listens
        delivery.endpoint.save()

        attempt_delivery(delivery.pk, 1)

        delivery.refresh_from_db()
        self.assertEqual(delivery.state, "retrying")
        self.assertIn("could not be reached", delivery.last_error)

    def test_an_inactive_endpoint_gets_nothing(self):
        delivery = self.delivery(active=False)

        attempt_delivery(delivery.pk, 1)

        delivery.refresh_from_db()
        self.assertEqual((delivery.state, delivery.attempts), ("failed", 0))
        self.assertIn("inactive", delivery.last_error)
        self.assertEqual(self.receiver.received, [])

    def test_retry_now_makes_the_next_attempt_at_once(self):
        self.receiver.answer_with(500)
        delivery = self.delivery()
        attempt_delivery(delivery.pk, 1)  # queues attempt 2 for a minute later

        self.assertTrue(delivery.retry_now())

        immediate = DBTaskResult.objects.order_by("enqueued_at").last()
        self.assertEqual(immediate.args_kwargs["args"], [delivery.pk, 2])
        self.assertTrue(DBTaskResult.objects.ready().filter(pk=immediate.pk).exists())  # due now
        self.assertEqual(attempt_delivery(delivery.pk, 2), DeliveryState.DELIVERED)
        self.assertEqual(attempt_delivery(delivery.pk, 2), "skipped")  # the task planned before finds it done
        self.assertFalse(Delivery.objects.get(pk=delivery.pk).can_retry_now)


class AddressTests(ReceiverTestCase):
    def test_a_loopback_receiver_is_refused_unless_private_addresses_are_allowed(self):
        delivery = self.delivery()

        attempt_delivery(delivery.pk, 1)

        delivery.refresh_from_db()
        self.assertEqual((delivery.state, delivery.response_status), ("retrying", None))
        self.assertIn("leads to 127.0.0.1, which is this server itself (loopback)", delivery.last_error)
        self.assertEqual(self.receiver.received, [])

        with override_settings(WEBHOOK_ALLOW_PRIVATE=True):
            attempt_delivery(delivery.pk, 2)
        self.assertEqual(Delivery.objects.get(pk=delivery.pk).state, "delivered")

    def test_a_host_that_resolves_elsewhere_when_connecting_is_refused(self):
        # Checked, the name resolves to a public address; connecting, it resolves to loopback (DNS rebinding).
        delivery = self.delivery()
        delivery.endpoint.url = self.receiver.url().replace("127.0.0.1", "hooks.example")
        delivery.endpoint.save()
        public = [(2, 1, 6, "", ("93.184.215.14", 80))]

        with (
            mock.patch.object(sending.socket, "getaddrinfo", return_value=public),
            mock.patch.object(fetching, "_resolve", return_value=["127.0.0.1"]),
        ):
            attempt_delivery(delivery.pk, 1)

        delivery.refresh_from_db()
        self.assertIn("this server itself (loopback)", delivery.last_error)
        self.assertEqual(self.receiver.received, [])

    def test_other_schemes_are_refused(self):
        self.assertEqual(
            sending.address_refusal("ftp://93.184.215.14/hooks"),
            "Only http:// and https:// addresses receive webhooks; this address's scheme is “ftp:”.",
        )

    def test_private_networks_are_refused(self):
        for address in ("http://10.1.2.3/", "http://192.168.0.10/", "http://[::1]/", "http://169.254.169.254/"):
            with self.subTest(address):
                self.assertIn("webhooks are sent to public addresses only", sending.address_refusal(address))


@override_settings(WEBHOOK_ALLOW_PRIVATE=True, WEBHOOK_MAX_ATTEMPTS=10, WEBHOOK_RETRY_BASE_SECONDS=60)
class RetryThroughTheWorkerTests(TransactionTestCase):
    """A reviewer approves; the worker delivers to a receiver that fails twice, then accepts."""

    def setUp(self):
        self.receiver = Receiver(SECRET).start()
        self.addCleanup(self.receiver.stop)

    def test_two_failures_then_success_with_the_back_off_logged(self):
        from claims.models import Actor

        analyst, reviewer = make_user("alice", "Analysts"), make_user("rita", "Reviewers")
        admin = make_user("ada", is_staff=True, is_superuser=True)
        make_endpoint(url=self.receiver.url(), events=[Event.RECORD_APPROVED], secret=SECRET)
        source = make_source(text="Pakistan claims that the Taliban is providing shelter for TTP members.")
        pakistan = Actor.objects.create(state=ReviewState.APPROVED, name="Government of Pakistan")
        claim = make_claim(source, "the Taliban is providing shelter for TTP members", pakistan, analyst)
        self.receiver.answer_with(500, 503)

        approve(claim, reviewer)  # commits: the delivery and its first task are queued
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.state, delivery.attempts), ("pending", 0))

        run_worker()
        delivery.refresh_from_db()
        self.assertEqual((delivery.state, delivery.attempts, delivery.response_status), ("retrying", 1, 500))
        run_worker()  # the retry is not due for a minute
        self.assertEqual(len(self.receiver.received), 1)

        for attempt, status in ((2, 503), (3, 200)):
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # a minute later
            run_worker()
            delivery.refresh_from_db()
            self.assertEqual((delivery.attempts, delivery.response_status), (attempt, status))

        self.assertEqual(delivery.state, "delivered")
        log = list(delivery.attempt_log.values_list("number", "status", "started_at", "next_attempt_at"))
        self.assertEqual([(number, status) for number, status, *_ in log], [(1, 500), (2, 503), (3, 200)])
        waits = [round((planned - sent).total_seconds()) for _, _, sent, planned in log[:2]]
        self.assertEqual(waits, [60, 120])
        self.assertIsNone(log[2][3])
        self.assertEqual([r.answered for r in self.receiver.received], [500, 503, 200])
        self.assertTrue(all(r.verified for r in self.receiver.received))
        self.assertEqual({r.body for r in self.receiver.received}, {delivery.body.encode()})
        self.assertEqual([r.headers["x-webhook-attempt"] for r in self.receiver.received], ["1", "2", "3"])
        body = json.loads(delivery.body)
        self.assertEqual((body["type"], body["data"]["id"]), ("record.approved", claim.pk))

        self.client.force_login(admin)
        page = self.client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
        self.assertContains(page, "Delivered")
        for status in (500, 503, 200):
            self.assertContains(page, f'<td class="field-status"><p>{status}</p></td>', html=True)
