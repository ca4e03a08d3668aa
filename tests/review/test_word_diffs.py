"""Revisions' diffs, in the desk and in the admin, mark the words that changed, not the whole field."""

from django.urls import reverse

from claims.models import Proposition
from tests.base import BaseTestCase, approve

DESCRIPTION = "When the TTP ended the ceasefire. One report says November 2022."
APPENDED = DESCRIPTION + " <b>Another</b> says December 2022."


class WordDiffPagesTests(BaseTestCase):
    def setUp(self):
        self.proposition = approve(
            Proposition.objects.create(
                statement="The TTP ended the ceasefire.", description=DESCRIPTION, created_by=self.analyst
            ),
            self.reviewer,
        )
        self.revision = self.proposition.propose_revision(self.analyst, {"description": APPENDED})

    def assert_only_the_appended_sentence_is_marked(self, response):
        self.assertContains(response, f"{DESCRIPTION}<ins> &lt;b&gt;Another&lt;/b&gt; says December 2022.</ins>")
        self.assertNotContains(response, f"<del>{DESCRIPTION}</del>")
        self.assertNotContains(response, "<b>Another</b>")

    def test_the_admin_review_page_marks_the_appended_sentence(self):
        self.client.force_login(self.reviewer)

        response = self.client.get(reverse("admin:claims_revision_change", args=[self.revision.pk]))

        self.assert_only_the_appended_sentence_is_marked(response)

    def test_the_admin_record_page_marks_it_in_the_waiting_revision(self):
        self.client.force_login(self.reviewer)

        response = self.client.get(reverse("admin:claims_proposition_change", args=[self.proposition.pk]))

        self.assert_only_the_appended_sentence_is_marked(response)

    def test_the_desk_marks_it_in_the_change_waiting_for_review(self):
        self.client.force_login(self.analyst)

        response = self.client.get(reverse("desk:proposition_revise", args=[self.proposition.slug]))

        self.assert_only_the_appended_sentence_is_marked(response)
