"""Nothing a reviewer has not approved reaches a webhook body, whatever the event."""

import json

from claims.models import Actor, Answer, Claim, Proposition, Question, Stance
from claims.translations import Translation
from tests.base import approve, make_claim, make_source
from tests.captures import import_capture, recheck_with
from tests.webhooks.base import WebhookTestCase, make_endpoint
from webhooks.models import Delivery, Event

UNAPPROVED = (
    "Unreviewed Militia",  # a draft actor, claimant of a draft claim
    "DRAFT-PARAPHRASE",  # that claim's paraphrase
    "PENDING-NOTE",  # a pending stance's note on the public proposition
    "REJECTED-STATEMENT",  # a rejected proposition
    "PENDING-REVISION",  # a change to a public claim, waiting for review
    "DRAFT-QUESTION",  # a draft question
    "1999",  # a draft answer to the public question
    "PENDING-TRANSLATION",  # a pending translation of a public claim's quote
    "DRAFT-SUMMARY",  # a draft translation of the public source's summary
    "REVISED-TRANSLATION",  # a change to an approved translation, waiting for review
)


class NothingUnapprovedLeaksTests(WebhookTestCase):
    def test_no_body_holds_anything_unapproved(self):
        make_endpoint()
        source = make_source(
            text=(
                "Pakistan says the Taliban shelter the TTP. The Taliban deny any support.\n\n"
                "The ceasefire was agreed in June 2022. It was signed in May 2022.\n\n"
                "A spokesman spoke at length."
            ),
            url="https://news.example/report",
            title="Report",
        )
        import_capture(source)
        militia = Actor.objects.create(name="Unreviewed Militia", kind="armed_group", created_by=self.analyst)
        draft = make_claim(source, "A spokesman spoke", militia, self.analyst, paraphrase="DRAFT-PARAPHRASE")
        approve(Proposition.objects.create(statement="Placeholder", created_by=self.analyst), self.reviewer)
        rejected = Proposition.objects.create(statement="REJECTED-STATEMENT", created_by=self.analyst)
        rejected.submit(self.analyst)
        rejected.reject(self.reviewer, reason="Duplicate.")

        with self.committed():
            proposition = approve(
                Proposition.objects.create(statement="The Taliban shelter the TTP.", created_by=self.analyst),
                self.reviewer,
            )
            claims = [
                approve(make_claim(source, quote, actor, self.analyst), self.reviewer)
                for quote, actor in (
                    ("the Taliban shelter the TTP", self.pakistan),
                    ("The Taliban deny any support", self.taliban),
                )
            ]
            pending = Stance.objects.create(
                claim=draft, proposition=proposition, side="qualifies", note="PENDING-NOTE", created_by=self.analyst
            )
            pending.submit(self.analyst)
            stances = [
                approve(
                    Stance.objects.create(claim=claim, proposition=proposition, side=side, created_by=self.analyst),
                    self.reviewer,
                )
                for claim, side in zip(claims, ("supports", "disputes"), strict=True)
            ]
            claims[0].propose_revision(self.other_analyst, {"paraphrase": "PENDING-REVISION"})
            translated = approve(
                Translation.record(
                    claim=claims[0],
                    language="ur",
                    text="طالبان پناہ دیتے ہیں",
                    translator="Desk",
                    created_by=self.analyst,
                ),
                self.reviewer,
            )
            translated.propose_revision(self.other_analyst, {"text": "REVISED-TRANSLATION"})
            Translation.record(
                claim=claims[1], language="ur", text="PENDING-TRANSLATION", translator="Desk", created_by=self.analyst
            ).submit(self.analyst)
            Translation.record(
                source=source, language="ur", text="DRAFT-SUMMARY", translator="Desk", created_by=self.analyst
            )
            question = approve(
                Question.objects.create(
                    text="When was the ceasefire agreed?", value_type="date", created_by=self.analyst
                ),
                self.reviewer,
            )
            Question.objects.create(text="DRAFT-QUESTION", value_type="yes_no", created_by=self.analyst)
            for quote, value in (("agreed in June 2022", "June 2022"), ("signed in May 2022", "May 2022")):
                claim = approve(make_claim(source, quote, self.pakistan, self.analyst), self.reviewer)
                approve(
                    Answer.objects.create(question=question, claim=claim, value_text=value, created_by=self.analyst),
                    self.reviewer,
                )
            Answer.objects.create(
                question=question,
                claim=Claim.objects.get(quote="A spokesman spoke"),
                value_text="March 1999",
                created_by=self.analyst,
            )
            stances[1].return_to_draft(self.reviewer)
            recheck_with(source, "Pakistan says nothing now.\n\nA spokesman spoke at length.")

        events = set(Delivery.objects.values_list("event", flat=True))
        self.assertEqual(events, set(Event.values))  # every kind of event was sent
        for delivery in Delivery.objects.all():
            for unapproved in UNAPPROVED:
                self.assertNotIn(unapproved, delivery.body, f"{delivery.event}: {unapproved}")
        kinds = {json.loads(delivery.body)["data"].get("kind") for delivery in Delivery.objects.all()}
        self.assertIn("translation", kinds)  # the approved translation was announced, the others not
        quoted = {claim["id"] for delivery in Delivery.objects.all() for claim in claims_in(json.loads(delivery.body))}
        self.assertNotIn(draft.pk, quoted)
        self.assertTrue({claim.pk for claim in claims} <= quoted)


def claims_in(value) -> list[dict]:
    """Every claim a body holds, wherever it is: the objects with a quote."""
    if isinstance(value, list):
        return [claim for item in value for claim in claims_in(item)]
    if isinstance(value, dict):
        found = [value] if "quote" in value else []
        return found + [claim for item in value.values() for claim in claims_in(item)]
    return []
