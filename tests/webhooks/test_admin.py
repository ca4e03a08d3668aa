"""The admin pages: administrators register endpoints (their address checked) and read the delivery log."""

from unittest import mock

from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.base import BaseTestCase
from tests.webhooks.base import make_endpoint
from webhooks import sending
from webhooks.models import Delivery, Endpoint, Event

ADD = reverse("admin:webhooks_endpoint_add")


def form(**values) -> dict:
    data = {"name": "Newsroom", "url": "https://93.184.215.14/hooks", "events": [Event.RECORD_APPROVED]}
    data |= {"active": "on", "secret": "s" * 32}
    return data | values


class EndpointFormTests(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.admin)

    def test_an_administrator_registers_an_endpoint(self):
        response = self.client.post(ADD, form(events=[Event.RECORD_APPROVED, Event.SOURCE_CHANGED]))

        self.assertRedirects(response, reverse("admin:webhooks_endpoint_changelist"))
        endpoint = Endpoint.objects.get()
        self.assertEqual(endpoint.events, ["record.approved", "source.changed"])
        self.assertEqual((endpoint.url, endpoint.active), ("https://93.184.215.14/hooks", True))

    def test_a_new_endpoint_comes_with_a_generated_secret(self):
        page = self.client.get(ADD)

        secret = page.context["adminform"].form["secret"].value()
        self.assertGreaterEqual(len(secret), 40)
        self.assertContains(page, f'value="{secret}"')
        self.assertNotEqual(secret, self.client.get(ADD).context["adminform"].form["secret"].value())

    def refusal(self, url: str) -> list[str]:
        response = self.client.post(ADD, form(url=url))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Endpoint.objects.exists())
        return response.context["adminform"].form.errors["url"]

    def test_only_http_and_https_addresses_are_accepted(self):
        self.assertEqual(
            self.refusal("ftp://93.184.215.14/hooks"),
            ["Only http:// and https:// addresses receive webhooks; this address's scheme is “ftp:”."],
        )
        self.assertEqual(
            self.refusal("hooks.example.org/receive"),
            ["Only http:// and https:// addresses receive webhooks; this address's scheme is none."],
        )

    def test_a_loopback_or_private_address_is_refused_with_the_reason(self):
        self.assertEqual(
            self.refusal("http://127.0.0.1:9000/hook"),
            [
                "The host “127.0.0.1” leads to 127.0.0.1, which is this server itself (loopback): webhooks are sent "
                "to public addresses only (WEBHOOK_ALLOW_PRIVATE=on allows private ones)."
            ],
        )
        self.assertIn("is on a private or reserved network", self.refusal("http://10.0.0.8/hook")[0])

    def test_a_name_that_resolves_to_a_private_address_is_refused(self):
        with mock.patch.object(sending.socket, "getaddrinfo", return_value=[(2, 1, 6, "", ("192.168.1.20", 443))]):
            [error] = self.refusal("https://hooks.internal.example/receive")

        self.assertIn("The host “hooks.internal.example” leads to 192.168.1.20", error)

    def test_a_name_that_does_not_resolve_is_refused(self):
        with mock.patch.object(sending.socket, "getaddrinfo", side_effect=OSError("no such name")):
            self.assertEqual(
                self.refusal("https://nowhere.example/"), ["The host “nowhere.example” could not be found."]
            )

    @override_settings(WEBHOOK_ALLOW_PRIVATE=True)
    def test_private_addresses_are_accepted_when_the_setting_allows_them(self):
        self.client.post(ADD, form(url="http://127.0.0.1:9000/hook"))

        self.assertEqual(Endpoint.objects.get().url, "http://127.0.0.1:9000/hook")

    def test_an_endpoint_asks_for_at_least_one_event(self):
        response = self.client.post(ADD, form(events=[]))

        self.assertEqual(response.context["adminform"].form.errors["events"], ["This field is required."])

    def test_a_short_secret_is_refused(self):
        response = self.client.post(ADD, form(secret="short"))

        self.assertIn("secret", response.context["adminform"].form.errors)


class DeliveryLogTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        endpoint = make_endpoint()
        cls.failed = Delivery.objects.create(
            endpoint=endpoint, event=Event.RECORD_APPROVED, body='{"id": "1"}', state="failed", attempts=10
        )
        cls.delivered = Delivery.objects.create(
            endpoint=endpoint, event=Event.RECORD_APPROVED, body='{"id": "2"}', state="delivered", attempts=1
        )

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_log_lists_deliveries_with_their_state(self):
        response = self.client.get(reverse("admin:webhooks_delivery_changelist"))

        self.assertContains(response, "Given up")
        self.assertContains(response, "Delivered")
        self.assertNotContains(response, reverse("admin:webhooks_delivery_add"))

    def test_a_delivery_is_shown_read_only(self):
        url = reverse("admin:webhooks_delivery_change", args=[self.failed.pk])

        page = self.client.get(url)

        self.assertContains(page, "&quot;id&quot;: &quot;1&quot;")
        self.assertNotContains(page, 'name="_save"')
        self.assertEqual(self.client.post(url, {"state": "delivered"}).status_code, 403)

    def test_retry_now_queues_the_next_attempt_of_what_was_not_delivered(self):
        changelist = reverse("admin:webhooks_delivery_changelist")

        response = self.client.post(
            changelist, {"action": "retry_now", "_selected_action": [self.failed.pk, self.delivered.pk]}, follow=True
        )

        self.assertContains(response, "1 delivery will be tried again at once.")
        self.assertContains(response, "1 delivery was not retried: it is delivered, or being sent right now.")
        task = DBTaskResult.objects.get()
        self.assertEqual(task.args_kwargs["args"], [self.failed.pk, 11])
        self.failed.refresh_from_db()
        self.assertEqual(self.failed.state, "retrying")


class AccessTests(BaseTestCase):
    """Only administrators: neither role group holds a webhook permission (the matrix checks every page)."""

    def test_reviewers_and_analysts_are_refused(self):
        for user in (self.reviewer, self.analyst):
            self.client.force_login(user)
            for name in ("admin:webhooks_endpoint_changelist", "admin:webhooks_delivery_changelist"):
                with self.subTest(user=user.username, page=name):
                    self.assertEqual(self.client.get(reverse(name)).status_code, 403)

    def test_the_admin_index_shows_webhooks_to_administrators_only(self):
        self.client.force_login(self.reviewer)
        self.assertNotContains(self.client.get(reverse("admin:index")), "Endpoints")
        self.client.force_login(self.admin)
        self.assertContains(self.client.get(reverse("admin:index")), "Endpoints")
