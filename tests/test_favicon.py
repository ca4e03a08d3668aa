from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from tests.base import BaseTestCase


class FaviconTest(TestCase):
    def test_favicon_ico_leads_to_the_sites_icon(self):
        response = self.client.get("/favicon.ico", follow=True)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.redirect_chain[0][1], 302)
        self.assertTrue(response.redirect_chain[-1][0].startswith(settings.STATIC_URL), response.redirect_chain)

    def test_it_is_the_icon_the_pages_link(self):
        target = self.client.get("/favicon.ico")["Location"]

        self.assertContains(self.client.get(reverse("reader:home")), f'<link rel="icon" href="{target}"')


class AdminFaviconTest(BaseTestCase):
    def test_admin_pages_link_the_icon(self):
        self.client.force_login(self.reviewer)
        target = self.client.get("/favicon.ico")["Location"]

        for url in (reverse("admin:index"), reverse("admin:review_queue"), reverse("admin:login")):
            self.assertContains(self.client.get(url, follow=True), f'<link rel="icon" href="{target}"', msg_prefix=url)
