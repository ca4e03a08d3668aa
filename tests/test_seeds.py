import io
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase

from claims.models import Actor, Claim, Proposition, Question, ReviewState, Side, Stance, StateChange
from claims.translations import Translation, TranslationKind
from sources.models import Source

SEEDS = Path(settings.BASE_DIR) / "seeds"
SIX = [
    "afghan-taliban-shelter-and-support-the-ttp",
    "ttp-ceasefire-agreed-in-june-2022",
    "ttp-ended-ceasefire-in-november-2022",
    "ttp-ended-ceasefire-because-pakistani-forces-attacked-it",
    "taliban-mediation-can-bring-ttp-and-pakistan-to-peace",
    "islamabad-taliban-relations-are-cooperative",
]


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_seeds", stdout=out, **options)
    return out.getvalue()


def counts():
    return [model.objects.count() for model in (Source, Actor, Proposition, Claim, Stance, Translation, StateChange)]


class LoadSeedsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first_output = load()

    def test_a_second_run_changes_nothing_and_says_so(self):
        before = counts()

        output = load()

        assert counts() == before
        assert "nothing to change" in output

    def test_the_six_contradictions_have_approved_claims_on_both_sides(self):
        for slug in SIX:
            proposition = Proposition.objects.contradictions().get(slug=slug)
            public = Stance.objects.public().filter(proposition=proposition)
            assert public.filter(side=Side.SUPPORTS).exists(), slug
            assert public.filter(side=Side.DISPUTES).exists(), slug

    def test_every_quote_is_exactly_in_its_source(self):
        for claim in Claim.objects.select_related("source"):
            assert claim.source.text[claim.start : claim.end] == claim.quote

    def test_every_contradiction_and_question_has_a_reviewed_translation(self):
        public = Translation.objects.public()
        assert public.count() == Translation.objects.count() >= 10
        for slug in SIX:
            quoted = Stance.objects.public().filter(proposition__slug=slug).values("claim")
            assert public.filter(claim__in=quoted, language="ur").exists(), slug
        for question in Question.objects.public():
            assert public.filter(claim__answers__question=question).exists(), question.slug
        assert {"ur", "ps", "fa"} <= set(public.values_list("language", flat=True))

    def test_every_quote_of_the_shelter_contradiction_reads_in_urdu(self):
        quoted = Stance.objects.public().filter(proposition__slug=SIX[0]).values("claim")
        in_urdu = Translation.objects.public().filter(language="ur").values("claim")

        assert not Claim.objects.filter(pk__in=quoted).exclude(pk__in=in_urdu).exists()

    def test_seed_translations_say_they_are_checked_machine_translations(self):
        for translation in Translation.objects.select_related("claim__source"):
            assert translation.kind == TranslationKind.MACHINE
            assert translation.translator == "Machine translation, checked by the desk"
            assert translation.language != translation.claim.source.language

    def test_a_second_run_keeps_one_translation_per_claim_and_language(self):
        before = list(Translation.objects.order_by("pk").values_list("pk", "version", "state"))
        load()
        assert list(Translation.objects.order_by("pk").values_list("pk", "version", "state")) == before

    def test_there_are_at_least_twenty_approved_claims(self):
        assert Claim.objects.filter(state=ReviewState.APPROVED).count() >= 20

    def test_records_are_approved_by_the_system_account(self):
        approvals = StateChange.objects.filter(to_state=ReviewState.APPROVED)

        assert set(approvals.values_list("by__username", flat=True)) == {"system"}

    def test_the_system_account_cannot_log_in(self):
        system = StateChange.objects.first().by

        assert not system.has_usable_password()

    def test_source_000_has_no_invented_publication_date(self):
        source = Source.objects.get(title__startswith="Taliban Mediates, Again")

        assert source.published_on is None
        assert source.published_display == "date unknown"

    def test_source_001_names_its_author(self):
        source = Source.objects.get(title__startswith="What Does Taliban Mediation Mean")

        assert source.authors == "Doğacan Başaran"

    def test_source_001_contradicts_itself_on_when_the_ceasefire_ended(self):
        proposition = Proposition.objects.get(slug="ttp-ended-ceasefire-in-november-2022")
        sides = {
            stance.side
            for stance in Stance.objects.public()
            .filter(proposition=proposition, claim__source__title__startswith="What Does")
            .only("side")
        }

        assert sides == {Side.SUPPORTS, Side.DISPUTES}

    def test_zabihullah_mujahid_is_affiliated_with_the_afghan_taliban(self):
        mujahid = Actor.objects.get(name="Zabihullah Mujahid")

        assert "Taliban" in mujahid.affiliation.name


class LoadSeedsValidationTests(TestCase):
    def write(self, tmp_path: Path, mutate) -> Path:
        data = (SEEDS / "annotations.toml").read_text(encoding="utf-8")
        path = tmp_path / "annotations.toml"
        path.write_text(mutate(data), encoding="utf-8")
        (tmp_path / "sources").mkdir()
        for file in (SEEDS / "sources").iterdir():
            (tmp_path / "sources" / file.name).write_bytes(file.read_bytes())
        return path

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp_path = tmp_path

    def test_a_quote_not_in_its_source_stops_the_load_before_anything_is_written(self):
        data = tomllib.loads((SEEDS / "annotations.toml").read_text(encoding="utf-8"))
        quote = data["claims"][0]["quote"]
        path = self.write(self.tmp_path, lambda text: text.replace(quote[:20], "Invented words here ", 1))

        with pytest.raises(CommandError, match="not in the source text"):
            load(path=path)

        assert Claim.objects.count() == 0 and Source.objects.count() == 0

    def test_an_unknown_actor_is_reported(self):
        path = self.write(self.tmp_path, lambda text: text.replace('claimant = "', 'claimant = "nobody-', 1))

        with pytest.raises(CommandError, match="unknown claimant actor 'nobody-"):
            load(path=path)
