"""Edits made in the desk are recorded in each record's history as done by the analyst who made them."""

from django.urls import reverse

from claims.models import FieldChange
from tests.desk.base import HTMX, DeskTestCase


class EditHistoryTests(DeskTestCase):
    def setUp(self):
        self.login()

    def assertLastChangeBy(self, record, field, user):
        change = FieldChange.objects.for_record(record).first()
        self.assertEqual((change.field, change.by), (field, user))

    def test_a_claim_edit_is_recorded_as_the_analysts(self):
        data = {
            "quote": self.claim.quote,
            "start": self.claim.start,
            "claimant": "Government of Pakistan",
            "paraphrase": "Edited paraphrase.",
            "version": 1,
        }
        self.client.post(reverse("desk:claim_edit", args=[self.claim.pk]), data)
        self.assertLastChangeBy(self.claim, "paraphrase", self.analyst)

    def test_a_move_between_columns_is_recorded_as_the_analysts(self):
        self.client.post(reverse("desk:stance_move", args=[self.stance.pk]), {"side": "disputes", "version": 1}, **HTMX)
        self.assertLastChangeBy(self.stance, "side", self.analyst)

    def test_a_board_edit_of_note_and_paraphrase_is_recorded_as_the_analysts(self):
        data = {"paraphrase": "Shelter.", "claim_version": 1, "note": "Direct.", "stance_version": 1}
        self.client.post(reverse("desk:stance_edit", args=[self.stance.pk]), data, **HTMX)
        self.assertLastChangeBy(self.stance, "note", self.analyst)
        self.assertLastChangeBy(self.claim, "paraphrase", self.analyst)

    def test_a_proposition_edit_is_recorded_as_the_analysts(self):
        data = {"statement": self.proposition.statement, "description": "Why it matters.", "version": 1}
        self.client.post(reverse("desk:proposition_edit", args=[self.proposition.slug]), data, **HTMX)
        self.assertLastChangeBy(self.proposition, "description", self.analyst)
