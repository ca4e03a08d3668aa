from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from bench.corpus import (
    BENCH_ACTOR_CLAIMS,
    BENCH_ACTOR_SLUG,
    BENCH_CONTRADICTION_CLAIMS,
    BENCH_CONTRADICTION_SLUG,
    BENCH_QUESTION_ANSWERS,
    BENCH_QUESTION_SLUG,
    BENCH_SOURCE_URL,
    FIXED_SET_CLAIMS,
    MAX_TEXT_CHARS,
    MIN_TEXT_CHARS,
)
from claims.models import Actor, Answer, Claim, Proposition, Question, ReviewState, Stance, StateChange
from search.models import EntryKind, SearchEntry
from sources.models import Source
from sources.text import normalize_text, text_checksum, text_direction
from tests.base import BaseTestCase, make_claim

CLAIMS = 400


def generate(claims: int = CLAIMS, seed: int = 7) -> str:
    out = StringIO()
    call_command("generate_corpus", claims=claims, seed=seed, stdout=out)
    return out.getvalue()


def corpus_claims():
    return Claim.objects.filter(source__url__startswith="https://corpus.example.org/")


def snapshot() -> dict:
    """What the corpus says, without database ids or wall-clock stamps, in a stable order."""
    rows = {
        "sources": Source.objects.values_list("url", "title", "language", "checksum"),
        "actors": Actor.objects.values_list("slug", "name", "kind", "affiliation__slug"),
        "propositions": Proposition.objects.values_list("slug", "statement", "state", "supports_count"),
        "claims": Claim.objects.values_list(
            "source__url", "start", "end", "quote", "claimant__slug", "reported_by__slug", "state", "asserted_on"
        ),
        "stances": Stance.objects.values_list(
            "claim__source__url", "claim__start", "claim__end", "proposition__slug", "side", "state", "note"
        ),
        "questions": Question.objects.values_list("slug", "value_type", "state", "answers_count", "has_conflict"),
        "answers": Answer.objects.values_list("question__slug", "claim__source__url", "claim__start", "value_text"),
    }
    return {name: sorted(queryset, key=repr) for name, queryset in rows.items()}


class GenerateCorpusTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.output = generate()

    def test_it_writes_the_claims_asked_for_plus_the_fixed_set(self):
        self.assertEqual(corpus_claims().count(), CLAIMS)
        self.assertEqual(Claim.objects.count(), CLAIMS + FIXED_SET_CLAIMS)

    def test_it_keeps_the_proportions_of_a_large_archive(self):
        self.assertEqual(Source.objects.filter(url__startswith="https://corpus.example.org/").count(), CLAIMS // 25)
        self.assertEqual(Actor.objects.filter(slug__contains="-c7-").count(), CLAIMS // 50)
        self.assertEqual(Proposition.objects.filter(slug__contains="-c7-").count(), CLAIMS // 40)

    def test_every_quote_is_the_source_text_at_its_anchor(self):
        for claim in Claim.objects.select_related("source"):
            text = claim.source.text
            self.assertEqual(text[claim.start : claim.end], claim.quote)
            self.assertEqual(text[max(0, claim.start - 32) : claim.start], claim.prefix)
            self.assertEqual(text[claim.end : claim.end + 32], claim.suffix)

    def test_quotes_do_not_start_or_end_with_space(self):
        self.assertFalse([claim.quote for claim in Claim.objects.all() if claim.quote != claim.quote.strip()])

    def test_every_claim_passes_model_validation(self):
        for claim in corpus_claims().select_related("source")[:100]:
            claim.full_clean()

    def test_source_texts_are_stored_normalized_with_their_checksum(self):
        for source in Source.objects.all():
            self.assertEqual(normalize_text(source.text), source.text)
            self.assertEqual(text_checksum(source.text), source.checksum)

    def test_source_texts_are_between_one_and_thirty_kilobytes(self):
        lengths = [len(text) for text in Source.objects.values_list("text", flat=True).filter(url__contains="example")]
        self.assertGreaterEqual(min(lengths), MIN_TEXT_CHARS)
        self.assertLessEqual(max(lengths), MAX_TEXT_CHARS)

    def test_it_writes_right_to_left_languages(self):
        languages = set(Source.objects.values_list("language", flat=True))
        self.assertLessEqual({"en", "fa", "ur", "ps", "ar"}, languages)
        rtl = Source.objects.filter(language__in=["fa", "ur", "ps", "ar"]).first()
        self.assertEqual(text_direction(rtl.language), "rtl")
        self.assertTrue(any("\u0600" <= char <= "\u06ff" for char in rtl.text))

    def test_the_bench_contradiction_has_exactly_forty_public_claims(self):
        proposition = Proposition.objects.get(slug=BENCH_CONTRADICTION_SLUG)
        public = Stance.objects.public().filter(proposition=proposition)
        self.assertEqual(public.count(), BENCH_CONTRADICTION_CLAIMS)
        self.assertGreater(Stance.objects.filter(proposition=proposition).count(), BENCH_CONTRADICTION_CLAIMS)
        self.assertTrue(proposition.is_contradiction)
        self.assertEqual(
            proposition.supports_count + proposition.disputes_count + proposition.qualifies_count,
            BENCH_CONTRADICTION_CLAIMS,
        )

    def test_the_bench_actor_has_exactly_five_hundred_approved_claims(self):
        actor = Actor.objects.get(slug=BENCH_ACTOR_SLUG)
        self.assertEqual(actor.claims.count(), BENCH_ACTOR_CLAIMS)
        self.assertEqual(actor.claims.public().count(), BENCH_ACTOR_CLAIMS)

    def test_the_bench_source_is_public(self):
        self.assertTrue(Source.objects.public().filter(url=BENCH_SOURCE_URL).exists())

    def test_review_states_are_mostly_approved_with_the_others_present(self):
        states = dict(corpus_claims().values_list("state").annotate(n=Count("pk")).order_by())
        self.assertEqual(set(states), set(ReviewState.values) - {ReviewState.REMOVED})  # only stances are removed
        self.assertGreater(states[ReviewState.APPROVED], CLAIMS * 0.7)

    def test_only_stances_with_both_ends_approved_are_approved(self):
        approved = Stance.objects.filter(state=ReviewState.APPROVED)
        self.assertFalse(
            approved.filter(~Q(claim__state=ReviewState.APPROVED) | ~Q(proposition__state=ReviewState.APPROVED))
        )

    def test_rejected_records_carry_a_reason(self):
        self.assertFalse(Claim.objects.filter(state=ReviewState.REJECTED, review_reason=""))

    def test_approved_claims_have_their_submit_and_approve_audit_rows(self):
        claim = corpus_claims().filter(state=ReviewState.APPROVED).first()
        history = list(claim.history().values_list("from_state", "to_state", "by_id"))
        self.assertEqual(
            history,
            [
                (ReviewState.PENDING, ReviewState.APPROVED, claim.reviewed_by_id),
                (ReviewState.DRAFT, ReviewState.PENDING, claim.created_by_id),
            ],
        )
        self.assertNotEqual(claim.reviewed_by_id, claim.created_by_id)

    def test_every_submitted_record_has_audit_rows(self):
        content_type = ContentType.objects.get_for_model(Claim)
        audited = StateChange.objects.filter(content_type=content_type).count()
        drafts = Claim.objects.filter(state=ReviewState.DRAFT).count()
        pending = Claim.objects.filter(state=ReviewState.PENDING).count()
        self.assertEqual(audited, 2 * (Claim.objects.count() - drafts - pending) + pending)

    def test_public_counts_agree_with_refresh_public_counts(self):
        for proposition in Proposition.objects.all():
            stored = (proposition.supports_count, proposition.disputes_count, proposition.qualifies_count)
            became = proposition.became_contradiction_at
            proposition.refresh_public_counts()
            proposition.refresh_from_db()
            self.assertEqual(
                (proposition.supports_count, proposition.disputes_count, proposition.qualifies_count), stored
            )
            self.assertEqual(proposition.became_contradiction_at, became)
            self.assertEqual(became is not None, proposition.is_contradiction)

    def test_some_propositions_are_contradictions_and_some_are_not(self):
        contradictions = Proposition.objects.contradictions().filter(slug__contains="-c7-").count()
        self.assertGreater(contradictions, 0)
        self.assertLess(contradictions, Proposition.objects.filter(slug__contains="-c7-").count())

    def test_a_few_actors_say_most_of_it(self):
        per_actor = sorted(corpus_claims().values_list("claimant").annotate(n=Count("pk")).values_list("n", flat=True))
        self.assertGreater(per_actor[-1], 2 * per_actor[len(per_actor) // 2])  # uniform would give ~1.3×

    def test_approved_claims_are_in_the_search_index(self):
        indexed = SearchEntry.objects.filter(kind=EntryKind.CLAIM).count()
        self.assertEqual(indexed, Claim.objects.public().count())

    def test_records_made_afterwards_get_fresh_ids(self):
        claim = make_claim(self.source, "the Taliban is providing shelter", self.pakistan, self.analyst)
        self.assertGreater(claim.pk, corpus_claims().order_by("-pk").values_list("pk", flat=True)[0])
        change = StateChange.objects.create(
            content_type=ContentType.objects.get_for_model(Claim),
            object_id=claim.pk,
            from_state=ReviewState.DRAFT,
            to_state=ReviewState.PENDING,
            by=self.analyst,
        )
        self.assertIsNotNone(change.pk)

    def test_it_reports_what_it_wrote(self):
        self.assertIn(f"{CLAIMS} claims in {CLAIMS // 25} sources", self.output)

    def test_it_refuses_a_seed_already_in_the_database(self):
        with self.assertRaisesMessage(CommandError, "already holds the corpus for seed 7"):
            generate()

    def test_another_seed_adds_to_the_corpus_without_a_second_fixed_set(self):
        generate(claims=50, seed=8)
        self.assertEqual(Claim.objects.count(), CLAIMS + 50 + FIXED_SET_CLAIMS)
        self.assertEqual(Actor.objects.filter(slug=BENCH_ACTOR_SLUG).count(), 1)

    def test_it_refuses_a_negative_number_of_claims(self):
        with self.assertRaisesMessage(CommandError, "--claims must be 0 or more"):
            generate(claims=-1, seed=9)


class GenerateCorpusDeterminismTests(BaseTestCase):
    def delete_everything(self):
        StateChange.objects.all().delete()
        Answer.objects.all().delete()
        Question.objects.all().delete()
        Stance.objects.all().delete()
        Claim.objects.all().delete()
        Proposition.objects.all().delete()
        Source.objects.all().delete()
        Actor.objects.update(affiliation=None)
        Actor.objects.all().delete()

    def test_the_same_seed_gives_the_same_corpus(self):
        self.delete_everything()
        generate(claims=150, seed=3)
        first = snapshot()
        self.delete_everything()
        generate(claims=150, seed=3)
        self.assertEqual(snapshot(), first)

    def test_another_seed_gives_another_corpus(self):
        self.delete_everything()
        generate(claims=150, seed=3)
        first = snapshot()
        self.delete_everything()
        generate(claims=150, seed=4)
        self.assertNotEqual(snapshot()["claims"], first["claims"])

    def test_it_writes_questions_answered_by_approved_claims_some_conflicting(self):
        self.delete_everything()
        generate(claims=2000, seed=5)
        questions = Question.objects.exclude(slug=BENCH_QUESTION_SLUG)
        self.assertEqual(questions.count(), 2000 // 200)
        self.assertTrue(Answer.objects.filter(question__in=questions).exists())
        self.assertFalse(Answer.objects.exclude(claim__state=ReviewState.APPROVED).exists())
        self.assertTrue(Question.objects.contradictions().exclude(slug=BENCH_QUESTION_SLUG).exists())
        for question in Question.objects.all():  # the stored state is what refresh_public_state() finds
            stored = (question.answers_count, question.has_conflict)
            question.refresh_public_state()
            self.assertEqual((question.answers_count, question.has_conflict), stored, question.slug)
        bench = Question.objects.get(slug=BENCH_QUESTION_SLUG)
        self.assertTrue(bench.is_contradiction)
        self.assertEqual(bench.answers_count, BENCH_QUESTION_ANSWERS)

    def test_zero_claims_writes_only_the_fixed_set(self):
        generate(claims=0)
        self.assertEqual(Claim.objects.count(), FIXED_SET_CLAIMS)
        self.assertTrue(Proposition.objects.contradictions().filter(slug=BENCH_CONTRADICTION_SLUG).exists())
