from django.urls import reverse

from tests.base import PASSWORD
from tests.reader.builders import ReaderTestCase


class PublicPagesPerRoleTest(ReaderTestCase):
    """Every role reads the same public site: approved records only, whoever is logged in."""

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.unpublished_claims(self.proposition)
        claim = self.proposition.stances.first().claim
        self.urls = [
            reverse("reader:home"),
            reverse("reader:contradictions"),
            self.proposition.get_absolute_url(),
            reverse("reader:contradiction_json", args=[self.proposition.slug]),
            self.pakistan.get_absolute_url(),
            claim.source.get_absolute_url(),
            reverse("reader:search") + "?q=words",
            reverse("reader:feed"),
        ]

    def assert_reads_public_site_only(self, user=None):
        if user is not None:
            self.client.login(username=user.username, password=PASSWORD)
        for url in self.urls:
            with self.subTest(url=url, user=user):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "SECRET")

    def test_anonymous_readers(self):
        self.assert_reads_public_site_only()

    def test_analysts_see_no_drafts_on_the_public_site_not_even_their_own(self):
        self.assert_reads_public_site_only(self.analyst)

    def test_reviewers(self):
        self.assert_reads_public_site_only(self.reviewer)

    def test_admins(self):
        self.assert_reads_public_site_only(self.admin)

    def test_readers_with_an_account_but_no_role(self):
        self.assert_reads_public_site_only(self.outsider)

    def test_write_methods_are_refused(self):
        for url in self.urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url).status_code, 405)


class NavigationPerRoleTest(ReaderTestCase):
    url = reverse("reader:home")

    def test_anonymous_readers_get_a_login_link(self):
        response = self.client.get(self.url)

        self.assertContains(response, f'<a href="{reverse("login")}">Log in</a>')
        self.assertNotContains(response, "hx-headers")

    def test_analysts_get_the_desk_link_and_a_logout_form_with_csrf(self):
        self.client.login(username=self.analyst.username, password=PASSWORD)

        response = self.client.get(self.url)

        self.assertContains(response, '<li><a href="/desk/">Desk</a></li>')
        self.assertContains(response, 'name="csrfmiddlewaretoken"')

    def test_the_desk_sends_the_csrf_token_with_every_htmx_request_and_public_pages_need_none(self):
        self.client.login(username=self.analyst.username, password=PASSWORD)

        self.assertContains(self.client.get(reverse("desk:home")), 'hx-headers=\'{"X-CSRFToken": "')
        self.assertNotContains(self.client.get(self.url), "hx-headers")

    def test_reviewers_get_the_review_link_to_the_queue(self):
        self.client.login(username=self.reviewer.username, password=PASSWORD)

        self.assertContains(self.client.get(self.url), f'<a href="{reverse("admin:review_queue")}">Review</a>')

    def test_analysts_get_no_review_link_even_as_staff(self):
        self.client.login(username=self.analyst.username, password=PASSWORD)

        response = self.client.get(self.url)

        self.assertTrue(self.analyst.is_staff)
        self.assertNotContains(response, ">Review<")
        self.assertNotContains(response, reverse("admin:index"))

    def test_accounts_without_a_role_get_neither_desk_nor_review(self):
        self.client.login(username=self.outsider.username, password=PASSWORD)

        response = self.client.get(self.url)

        self.assertNotContains(response, ">Desk<")
        self.assertNotContains(response, ">Review<")
