"""Which changes become events, when, and what their bodies say (and never say)."""

from django.db import transaction

from claims.models import Actor, Answer, Claim, Proposition, Question, Stance
from claims.translations import Translation
from tests.base import approve, make_claim, make_source
from tests.captures import import_capture, not_found, recheck_with
from tests.webhooks.base import WebhookTestCase, bodies, make_endpoint
from webhooks.models import Delivery, Event

SITE = "http://127.0.0.1:8000"


class ApprovalTests(WebhookTestCase):
    def setUp(self):
        self.claim = make_claim(
            self.source, "the Taliban is providing shelter for TTP members", self.pakistan, self.analyst
        )
        self.claim.submit(self.analyst)

    def test_an_approval_is_queued_only_once_the_transaction_commits(self):
        make_endpoint()

        with self.captureOnCommitCallbacks() as callbacks:
            self.claim.approve(self.reviewer)
            self.assertFalse(Delivery.objects.exists())
        for callback in callbacks:
            callback()

        self.assertEqual(Delivery.objects.count(), 1)

    def test_a_rolled_back_approval_sends_nothing(self):
        make_endpoint()

        with self.committed():
            try:
                with transaction.atomic():
                    self.claim.approve(self.reviewer)
                    raise RuntimeError("the request failed after approving")
            except RuntimeError:
                pass

        self.assertFalse(Delivery.objects.exists())
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).state, "pending")

    def test_the_body_carries_the_claim_as_the_api_gives_it(self):
        make_endpoint()

        with self.committed():
            self.claim.approve(self.reviewer)

        [body] = bodies()
        self.assertEqual(body["type"], "record.approved")
        self.assertEqual(set(body), {"id", "type", "occurred_at", "data"})
        data = body["data"]
        self.assertEqual((data["kind"], data["id"], data["revision"]), ("claim", self.claim.pk, None))
        self.assertEqual(data["url"], f"{SITE}/sources/{self.source.pk}/#claim-{self.claim.pk}")
        self.assertEqual(data["record"]["quote"], "the Taliban is providing shelter for TTP members")
        self.assertEqual(data["record"]["claimant"]["name"], "Government of Pakistan")
        self.assertEqual(data["record"]["url"], data["url"])

    def test_one_delivery_per_active_endpoint_that_asked_for_the_event(self):
        wants = make_endpoint(name="Wants approvals", events=[Event.RECORD_APPROVED])
        make_endpoint(name="Wants withdrawals", events=[Event.RECORD_WITHDRAWN])
        make_endpoint(name="Inactive", active=False)
        also = make_endpoint(name="Wants everything")

        with self.committed():
            self.claim.approve(self.reviewer)

        deliveries = list(Delivery.objects.order_by("endpoint__name"))
        self.assertEqual([d.endpoint for d in deliveries], [wants, also])
        self.assertEqual(deliveries[0].body, deliveries[1].body)  # one event: one id, one body

    def test_each_delivery_queues_its_first_attempt(self):
        from django_tasks_db.models import DBTaskResult

        make_endpoint()

        with self.committed():
            self.claim.approve(self.reviewer)

        task = DBTaskResult.objects.get()
        delivery = Delivery.objects.get()
        self.assertEqual(task.task_path, "webhooks.tasks.deliver")
        self.assertEqual(task.args_kwargs, {"args": [delivery.pk, 1], "kwargs": {}})

    def test_nothing_is_queued_without_an_endpoint(self):
        from django_tasks_db.models import DBTaskResult

        with self.committed():
            self.claim.approve(self.reviewer)

        self.assertFalse(Delivery.objects.exists())
        self.assertFalse(DBTaskResult.objects.exists())

    def test_submitting_and_rejecting_are_not_events(self):
        make_endpoint()
        other = make_claim(self.source, "they do not provide support to TTP’s operations", self.taliban, self.analyst)

        with self.committed():
            other.submit(self.analyst)
            other.reject(self.reviewer, reason="Not a claim.")
            self.claim.return_to_draft(self.reviewer)  # pending → draft: readers never saw it

        self.assertFalse(Delivery.objects.exists())

    def test_an_actor_approved_before_any_claim_of_theirs_is_not_announced(self):
        make_endpoint()
        actor = Actor.objects.create(name="Tehreek-e-Taliban Pakistan", kind="armed_group", created_by=self.analyst)

        with self.committed():
            approve(actor, self.reviewer)

        self.assertEqual(bodies(), [])  # readers see an actor only with an approved claim

    def test_an_approved_revision_announces_the_record_with_its_new_values(self):
        with self.committed():
            self.claim.approve(self.reviewer)
        make_endpoint()
        revision = self.claim.propose_revision(self.analyst, {"paraphrase": "Pakistan says Kabul shelters the TTP."})

        with self.committed():
            revision.approve(self.reviewer)

        [body] = bodies()
        self.assertEqual(body["data"]["revision"], revision.pk)
        self.assertEqual(body["data"]["record"]["paraphrase"], "Pakistan says Kabul shelters the TTP.")


class TranslationEventTests(WebhookTestCase):
    URDU = "طالبان ٹی ٹی پی کے ارکان کو پناہ دے رہے ہیں"

    def setUp(self):
        self.claim = approve(
            make_claim(self.source, "the Taliban is providing shelter for TTP members", self.pakistan, self.analyst),
            self.reviewer,
        )
        make_endpoint()

    def translation(self, **of):
        of = of or {"claim": self.claim}
        return Translation.record(
            **of, language="ur", text=self.URDU, translator="Desk translation team", created_by=self.analyst
        )

    def test_an_approved_translation_is_announced_with_its_claim_language_and_text(self):
        translation = self.translation()

        with self.committed():
            approve(translation, self.reviewer)

        [body] = bodies(Event.RECORD_APPROVED)
        data = body["data"]
        url = f"{SITE}/sources/{self.source.pk}/#claim-{self.claim.pk}"
        self.assertEqual(
            (data["kind"], data["id"], data["url"], data["revision"]), ("translation", translation.pk, url, None)
        )
        translation.refresh_from_db()
        self.assertEqual(
            data["record"],
            {
                "id": translation.pk,
                "claim": self.claim.pk,
                "source": None,
                "language": "ur",
                "text": self.URDU,
                "translator": "Desk translation team",
                "kind": "human",
                "approved_at": translation.first_approved_at.isoformat(),
                "url": url,
            },
        )

    def test_an_approved_summary_of_a_public_source_is_announced_with_the_source(self):
        summary = self.translation(source=self.source)

        with self.committed():
            approve(summary, self.reviewer)

        [body] = bodies(Event.RECORD_APPROVED)
        record = body["data"]["record"]
        self.assertEqual((record["claim"], record["source"]), (None, self.source.pk))
        self.assertEqual(record["url"], f"{SITE}/sources/{self.source.pk}/")

    def test_a_summary_of_a_source_readers_do_not_see_is_not_announced(self):
        unseen = make_source(text="A report with no approved claim.", title="Unseen")
        summary = self.translation(source=unseen)

        with self.committed():
            approve(summary, self.reviewer)

        self.assertEqual(bodies(), [])

    def test_an_approved_revision_announces_the_new_text(self):
        translation = approve(self.translation(), self.reviewer)
        revision = translation.propose_revision(self.other_analyst, {"text": "بہتر ترجمہ"})

        with self.committed():
            revision.approve(self.reviewer)

        [body] = bodies(Event.RECORD_APPROVED)
        self.assertEqual(body["data"]["revision"], revision.pk)
        self.assertEqual(body["data"]["record"]["text"], "بہتر ترجمہ")

    def test_withdrawing_an_approved_translation_names_its_kind_id_and_address_only(self):
        translation = approve(self.translation(), self.reviewer)

        with self.committed():
            translation.return_to_draft(self.reviewer, reason="Mistranslated.")

        [body] = bodies(Event.RECORD_WITHDRAWN)
        self.assertEqual(
            body["data"],
            {
                "kind": "translation",
                "id": translation.pk,
                "url": f"{SITE}/sources/{self.source.pk}/#claim-{self.claim.pk}",
            },
        )

    def test_submitting_and_rejecting_a_translation_are_not_events(self):
        translation = self.translation()

        with self.committed():
            translation.submit(self.analyst)
            translation.reject(self.reviewer, reason="Not the quote.")

        self.assertFalse(Delivery.objects.exists())


class WithdrawalTests(WebhookTestCase):
    def setUp(self):
        self.proposition = self.build_contradiction()
        self.claim = Claim.objects.get(quote="the Taliban is providing shelter for TTP members")
        self.stance = self.claim.stances.get()
        make_endpoint()

    def test_a_withdrawal_names_the_kind_id_and_address_only(self):
        with self.committed():
            self.stance.return_to_draft(self.reviewer, reason="Wrong side.")

        withdrawals = bodies(Event.RECORD_WITHDRAWN)
        self.assertEqual(len(withdrawals), 1)
        self.assertEqual(
            withdrawals[0]["data"],
            {"kind": "stance", "id": self.stance.pk, "url": f"{SITE}/contradictions/{self.proposition.slug}/"},
        )

    def test_withdrawing_a_claim_and_its_stance_sends_one_event_each(self):
        with self.committed():
            self.stance.return_to_draft(self.reviewer)
            self.claim.return_to_draft(self.reviewer)

        self.assertEqual(
            [(body["data"]["kind"], body["data"]["id"]) for body in bodies(Event.RECORD_WITHDRAWN)],
            [("stance", self.stance.pk), ("claim", self.claim.pk)],
        )
        self.assertEqual(bodies(Event.RECORD_APPROVED), [])


class ContradictionTests(WebhookTestCase):
    def test_a_proposition_becoming_a_contradiction_is_announced_once(self):
        make_endpoint()

        with self.committed():
            proposition = self.build_contradiction()

        [body] = bodies(Event.CONTRADICTION_NEW)
        self.assertEqual((body["data"]["kind"], body["data"]["id"]), ("proposition", proposition.pk))
        self.assertTrue(body["data"]["record"]["is_contradiction"])
        self.assertEqual(len(body["data"]["record"]["claims"]), 2)
        self.assertEqual(body["occurred_at"], proposition.became_contradiction_at.isoformat())

        # More claims, a side withdrawn and approved again: still the same contradiction.
        stance = Stance.objects.filter(proposition=proposition, side="disputes").get()
        third = approve(
            make_claim(
                self.source,
                "they are not responsible for Pakistan’s internal security issues",
                self.taliban,
                self.analyst,
            ),
            self.reviewer,
        )
        with self.committed():
            approve(
                Stance.objects.create(claim=third, proposition=proposition, side="disputes", created_by=self.analyst),
                self.reviewer,
            )
            stance.return_to_draft(self.reviewer)
            stance.refresh_from_db()
            approve(stance, self.other_reviewer)

        self.assertEqual(len(bodies(Event.CONTRADICTION_NEW)), 1)

    def test_a_proposition_with_one_side_only_is_not_a_contradiction(self):
        make_endpoint(events=[Event.CONTRADICTION_NEW])
        proposition = approve(
            Proposition.objects.create(statement="The TTP is sheltered.", created_by=self.analyst), self.reviewer
        )
        claim = approve(
            make_claim(self.source, "the Taliban is providing shelter for TTP members", self.pakistan, self.analyst),
            self.reviewer,
        )

        with self.committed():
            approve(
                Stance.objects.create(claim=claim, proposition=proposition, side="supports", created_by=self.analyst),
                self.reviewer,
            )

        self.assertFalse(Delivery.objects.exists())

    def test_a_question_whose_answers_start_to_conflict_is_announced_once(self):
        make_endpoint(events=[Event.CONTRADICTION_NEW])
        source = make_source(
            text="The ceasefire was agreed in June 2022.\n\nThe ceasefire was signed in May 2022.\n\nIt was agreed in June.",
            title="Two reports",
        )
        question = approve(
            Question.objects.create(text="When was the ceasefire agreed?", value_type="date", created_by=self.analyst),
            self.reviewer,
        )
        answers = []
        for quote, value in (
            ("agreed in June 2022", "June 2022"),
            ("signed in May 2022", "May 2022"),
            ("It was agreed in June", "June 2022"),
        ):
            claim = approve(make_claim(source, quote, self.pakistan, self.analyst), self.reviewer)
            answers.append(
                Answer.objects.create(question=question, claim=claim, value_text=value, created_by=self.analyst)
            )

        with self.committed():
            approve(answers[0], self.reviewer)
        self.assertFalse(Delivery.objects.exists())  # one answer conflicts with nothing

        with self.committed():
            approve(answers[1], self.reviewer)
            approve(answers[2], self.reviewer)

        [body] = bodies(Event.CONTRADICTION_NEW)
        self.assertEqual((body["data"]["kind"], body["data"]["id"]), ("question", question.pk))
        self.assertEqual(body["data"]["url"], f"{SITE}/questions/{question.slug}/")
        self.assertEqual(body["data"]["record"]["conflicts"], [["May 2022", "June 2022"]])


class SourceChangedTests(WebhookTestCase):
    def setUp(self):
        self.web_source = make_source(
            text="Officials said the ceasefire was agreed in June 2022.\n\nTalks continue.",
            url="https://news.example/ceasefire",
            title="Ceasefire report",
        )
        self.public_claim = approve(
            make_claim(self.web_source, "the ceasefire was agreed in June 2022", self.pakistan, self.analyst),
            self.reviewer,
        )
        self.draft_claim = make_claim(self.web_source, "Talks continue", self.taliban, self.analyst)
        import_capture(self.web_source)
        make_endpoint(events=[Event.SOURCE_CHANGED])

    def test_a_changed_page_is_announced_with_the_public_quotes_outcomes(self):
        with self.committed():
            recheck = recheck_with(
                self.web_source, "Officials said the ceasefire was agreed in May 2022.\n\nTalks continue."
            )

        [body] = bodies(Event.SOURCE_CHANGED)
        data = body["data"]
        self.assertEqual((data["kind"], data["id"]), ("source", self.web_source.pk))
        self.assertEqual(data["record"]["title"], "Ceasefire report")
        self.assertNotIn("text", data["record"])
        self.assertEqual(data["capture"]["id"], recheck.capture.pk)
        self.assertEqual(data["capture"]["sha256"], recheck.capture.body_sha256)
        self.assertEqual(
            data["quotes"],
            [
                {
                    "claim": self.public_claim.pk,
                    "url": f"{SITE}{self.public_claim.get_absolute_url()}",
                    "outcome": "altered",
                }
            ],
        )  # the draft claim's check stays unsaid

    def test_an_unchanged_or_unreachable_page_is_not_announced(self):
        with self.committed():
            recheck_with(self.web_source, self.web_source.text)
            recheck_with(self.web_source, not_found())

        self.assertFalse(Delivery.objects.exists())

    def test_a_source_readers_do_not_see_is_not_announced(self):
        with self.committed():
            self.public_claim.return_to_draft(self.reviewer)
            recheck_with(self.web_source, "Everything is different now.")

        self.assertFalse(Delivery.objects.exists())
