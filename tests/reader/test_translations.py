"""Approved translations under the quotes readers see; the reader's preferred translation language; no leaks."""

import json
from io import StringIO

from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from claims.models import Answer, Question, ReviewState
from claims.translations import Translation
from reader.translations import PREFERENCE_COOKIE, preference
from search.query import search
from tests.base import approve, make_claim, make_source
from tests.reader.builders import ReaderTestCase

PASHTO_TEXT = "ذبیح الله مجاهد وویل چې د پاکستان د کورني امنیت مسؤلیت په دوی نه دی.\n\nنور خبرې وروسته."
PASHTO_QUOTE = "د پاکستان د کورني امنیت مسؤلیت په دوی نه دی"
ENGLISH = "the responsibility for the internal security of Pakistan is not theirs"
URDU = "وہ طالبان پناہ دے رہے ہیں، پاکستان کا کہنا ہے"
PERSIAN = "طالبان به اعضای تی‌تی‌پی پناه می‌دهند"


class TranslationPageTestCase(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.shelter = self.proposition.stances.get(side="supports").claim
        self.pashto_source = make_source(text=PASHTO_TEXT, title="Pashto report", language="ps")
        self.pashto = self.publish_claim(self.pashto_source, PASHTO_QUOTE, self.taliban, self.proposition, "disputes")

    def translate(self, claim, language, text, *, approved=True, kind="human", translator="Desk translation team"):
        translation = Translation.record(
            claim=claim, language=language, text=text, translator=translator, kind=kind, created_by=self.analyst
        )
        return approve(translation, self.reviewer) if approved else translation

    def unapproved_translations(self) -> dict:
        """A translation in each state readers must never see; each text says SECRET and its state."""
        found = {}
        for state, language in (("draft", "fa"), ("pending", "ar"), ("rejected", "de"), ("withdrawn", "ur")):
            translation = self.translate(self.pashto, language, f"SECRET-{state} words", approved=False)
            if state != "draft":
                translation.submit(self.analyst)
            if state == "rejected":
                translation.reject(self.reviewer, reason="Loses the negation.")
            if state == "withdrawn":
                translation.approve(self.reviewer)
                translation.return_to_draft(self.reviewer, reason="Checking it again.")
            found[state] = translation
        # A pending revision of an approved translation.
        approved = self.translate(self.pashto, "en", ENGLISH)
        approved.propose_revision(self.analyst, {"text": "SECRET-revision words"})
        return found


class ContradictionPageTranslationTests(TranslationPageTestCase):
    def test_an_approved_translation_is_shown_under_the_original_with_its_label(self):
        self.translate(self.pashto, "en", ENGLISH)
        response = self.get(self.proposition.get_absolute_url())
        html = response.content.decode()
        self.assertContains(response, f'lang="ps" dir="rtl" cite="{self.pashto_source.get_absolute_url()}">')
        self.assertContains(response, PASHTO_QUOTE)
        self.assertContains(response, "Translation from Pashto, human, reviewed")
        self.assertContains(response, "by <bdi>Desk translation team</bdi>")
        self.assertContains(response, f'<blockquote class="translation__text" lang="en" dir="ltr"><p>{ENGLISH}</p>')
        self.assertLess(html.index(PASHTO_QUOTE), html.index(ENGLISH))

    def test_a_right_to_left_translation_has_its_direction(self):
        self.translate(self.shelter, "ur", URDU, kind="machine")
        response = self.get(self.proposition.get_absolute_url())
        self.assertContains(response, f'lang="ur" dir="rtl"><p>{URDU}</p>')
        self.assertContains(response, "Translation from English, machine, reviewed")

    def test_without_a_preference_every_translation_is_folded(self):
        self.translate(self.shelter, "ur", URDU)
        self.translate(self.shelter, "fa", PERSIAN)
        response = self.get(self.proposition.get_absolute_url())
        self.assertContains(response, "<summary>Translations (2)</summary>")
        self.assertContains(response, 'class="translation-preference"')
        self.assertContains(response, '<option value="" selected>')

    def test_with_a_preference_that_translation_is_shown_first_and_the_others_folded(self):
        self.translate(self.shelter, "ur", URDU)
        self.translate(self.shelter, "fa", PERSIAN)
        self.client.cookies[PREFERENCE_COOKIE] = "fa"
        response = self.get(self.proposition.get_absolute_url())
        html = response.content.decode()
        self.assertContains(response, "<summary>Another translation (1)</summary>")
        self.assertLess(html.index(PERSIAN), html.index("Another translation (1)"))
        self.assertGreater(html.index(URDU), html.index("Another translation (1)"))
        self.assertContains(response, '<option value="fa" selected>')

    def test_an_unknown_preference_is_ignored_like_any_bogus_cookie(self):
        self.translate(self.shelter, "ur", URDU)
        self.client.cookies[PREFERENCE_COOKIE] = "<script>"
        response = self.get(self.proposition.get_absolute_url())
        self.assertContains(response, "<summary>Translation (1)</summary>")
        self.assertNotContains(response, "<script>")

    def test_no_control_is_shown_where_nothing_is_translated(self):
        response = self.get(self.proposition.get_absolute_url())
        self.assertNotContains(response, 'class="translation-preference"')
        self.assertNotContains(response, 'class="translations"')

    def test_query_count_does_not_grow_with_the_number_of_translations(self):
        url = self.proposition.get_absolute_url()
        self.translate(self.shelter, "ur", URDU)
        with self.assertNumQueries(6):  # proposition, stances, source texts, translations, captures, related
            self.get(url)
        for language in ("fa", "ar", "de", "fr"):
            self.translate(self.shelter, language, f"{language} words")
            self.translate(self.pashto, language, f"{language} words")
        with self.assertNumQueries(6):
            self.get(url)


class PreferenceTests(TranslationPageTestCase):
    url = reverse("reader:translation_preference")

    def test_choosing_a_language_sets_a_long_lived_cookie_and_goes_back(self):
        back = self.proposition.get_absolute_url()
        response = self.client.get(self.url, {"language": "ur", "next": back})
        self.assertRedirects(response, back, fetch_redirect_response=False)
        cookie = response.cookies[PREFERENCE_COOKIE]
        self.assertEqual(cookie.value, "ur")
        self.assertGreaterEqual(int(cookie["max-age"]), 300 * 24 * 60 * 60)
        self.assertEqual(cookie["samesite"], "Lax")

    def test_no_language_first_is_remembered_as_a_choice(self):
        self.client.cookies[PREFERENCE_COOKIE] = "ur"
        response = self.client.get(self.url, {"language": "", "next": "/"})
        self.assertEqual(response.cookies[PREFERENCE_COOKIE].value, "none")

    def test_without_a_choice_the_sites_language_comes_first_and_a_choice_of_none_folds_it(self):
        request = RequestFactory().get("/ur/")
        with translation.override("ur"):
            self.assertEqual(preference(request), "ur")
            request.COOKIES[PREFERENCE_COOKIE] = "none"
            self.assertEqual(preference(request), "")
            request.COOKIES[PREFERENCE_COOKIE] = "ps"
            self.assertEqual(preference(request), "ps")
        self.assertEqual(preference(RequestFactory().get("/")), "")

    def test_an_unknown_language_is_not_stored(self):
        response = self.client.get(self.url, {"language": "xx-evil", "next": "/"})
        self.assertEqual(response.cookies[PREFERENCE_COOKIE].value, "")

    def test_an_address_elsewhere_goes_home_instead(self):
        for back in ("https://evil.example/", "//evil.example/", "javascript:alert(1)", "\\\\evil.example"):
            with self.subTest(back=back):
                response = self.client.get(self.url, {"language": "ur", "next": back})
                self.assertRedirects(response, reverse("reader:home"), fetch_redirect_response=False)

    def test_it_only_answers_get(self):
        self.assertEqual(self.client.post(self.url, {"language": "ur"}).status_code, 405)

    def test_the_page_cache_keeps_one_page_per_preference(self):
        self.translate(self.shelter, "ur", URDU)
        self.translate(self.shelter, "fa", PERSIAN)
        url = self.proposition.get_absolute_url()
        cache.clear()
        folded = self.client.get(url)
        self.client.cookies[PREFERENCE_COOKIE] = "ur"
        urdu = self.client.get(url)
        self.client.cookies[PREFERENCE_COOKIE] = "fa"
        persian = self.client.get(url)
        self.client.cookies[PREFERENCE_COOKIE] = "bogus"
        bogus = self.client.get(url)
        self.assertContains(folded, "<summary>Translations (2)</summary>")
        self.assertContains(urdu, '<option value="ur" selected>')
        self.assertContains(persian, '<option value="fa" selected>')
        self.assertContains(bogus, "<summary>Translations (2)</summary>")  # served the folded page
        self.assertNotEqual(urdu["ETag"], persian["ETag"])
        self.assertEqual(folded["ETag"], bogus["ETag"])


class OtherPagesTests(TranslationPageTestCase):
    def test_the_actor_page_shows_the_translation_under_the_quote(self):
        self.translate(self.pashto, "en", ENGLISH)
        response = self.get(self.taliban.get_absolute_url())
        self.assertContains(response, "Translation from Pashto, human, reviewed")
        self.assertContains(response, 'class="translation-preference"')

    def test_the_source_page_shows_claim_translations_and_the_summary_translation(self):
        self.translate(self.pashto, "en", ENGLISH)
        summary = Translation.record(
            source=self.pashto_source, language="ur", text="پاکستان کی سلامتی پر طالبان کا بیان", translator="Desk",
            created_by=self.analyst,
        )  # fmt: skip
        approve(summary, self.reviewer)
        response = self.get(self.pashto_source.get_absolute_url())
        self.assertContains(response, ENGLISH)
        self.assertContains(response, "Summary in translation")
        self.assertContains(response, "پاکستان کی سلامتی پر طالبان کا بیان")

    def test_the_question_page_shows_the_translation(self):
        question = approve(
            Question.objects.create(text="Who is responsible?", value_type="actor", created_by=self.analyst),
            self.reviewer,
        )
        answer = Answer(question=question, claim=self.shelter, value_text="Afghan Taliban", created_by=self.analyst)
        answer.full_clean()
        answer.save()
        approve(answer, self.reviewer)
        self.translate(self.shelter, "ur", URDU)
        response = self.get(question.get_absolute_url())
        self.assertContains(response, URDU)
        self.assertContains(response, "Translation from English, human, reviewed")

    def test_the_page_json_and_api_carry_approved_translations(self):
        self.translate(self.pashto, "en", ENGLISH, kind="machine", translator="Machine translation, checked")
        data = self.get(reverse("reader:contradiction_json", args=[self.proposition.slug])).json()
        claim = next(entry for entry in data["claims"] if entry["id"] == self.pashto.pk)
        self.assertEqual(claim["quote"], PASHTO_QUOTE)
        self.assertEqual(
            [(t["language"], t["text"], t["translator"], t["kind"]) for t in claim["translations"]],
            [("en", ENGLISH, "Machine translation, checked", "machine")],
        )
        record = self.client.get(f"/api/v1/claims/{self.pashto.pk}").json()
        self.assertEqual([t["language"] for t in record["translations"]], ["en"])
        self.assertEqual(record["quote"], PASHTO_QUOTE)

    def test_the_public_export_has_approved_translations(self):
        self.translate(self.pashto, "en", ENGLISH)
        out = StringIO()
        call_command("export_public", stdout=out)
        records = [json.loads(line) for line in out.getvalue().splitlines()]
        translations = [record for record in records if record["type"] == "translation"]
        self.assertEqual(
            [(t["claim"], t["language"], t["text"]) for t in translations], [(self.pashto.pk, "en", ENGLISH)]
        )

    def test_search_finds_a_claim_by_its_approved_translation(self):
        translation = self.translate(self.pashto, "en", "Kabul disowns responsibility for internal security")
        self.assertEqual([(hit.kind, hit.object_id) for hit in search("disowns")], [("claim", self.pashto.pk)])
        translation.return_to_draft(self.reviewer, reason="Checking")
        self.assertEqual(list(search("disowns")), [])


class TranslationLeakTests(TranslationPageTestCase):
    """An unapproved translation (draft, pending, rejected, withdrawn, a pending revision) appears nowhere public."""

    def setUp(self):
        super().setUp()
        self.unapproved_translations()
        # A translation of a claim that is not public, approved before its claim was withdrawn.
        hidden_claim = approve(
            make_claim(self.source, "Its chief spokesman said", self.taliban, self.analyst), self.reviewer
        )
        self.translate(hidden_claim, "ur", "SECRET-claim withdrawn words")
        hidden_claim.return_to_draft(self.reviewer, reason="Checking the attribution")

    def public_responses(self):
        addresses = [
            self.proposition.get_absolute_url(),
            reverse("reader:contradiction_json", args=[self.proposition.slug]),
            self.taliban.get_absolute_url(),
            reverse("reader:actor_json", args=[self.taliban.slug]),
            self.pashto_source.get_absolute_url(),
            self.source.get_absolute_url(),
            reverse("reader:home"),
            reverse("reader:feed"),
            reverse("reader:search") + "?q=words",  # every unapproved translation has this word
            reverse("reader:embed_contradiction", args=[self.proposition.slug]),
            "/api/v1/claims",
            f"/api/v1/claims/{self.pashto.pk}",
            f"/api/v1/contradictions/{self.proposition.slug}",
            "/api/v1/stances",
        ]
        for language in ("", "fa", "ar", "de", "ur", "en"):
            self.client.cookies[PREFERENCE_COOKIE] = language
            for address in addresses:
                yield f"{address} ({language or 'no preference'})", self.get(address)

    def test_no_public_page_document_or_api_record_shows_an_unapproved_translation(self):
        for name, response in self.public_responses():
            self.assertEqual(response.status_code, 200, name)
            self.assertNotIn("SECRET", response.content.decode(), name)

    def test_the_embed_card_and_the_feed_show_the_approved_translations_only(self):
        self.translate(self.shelter, "ur", URDU)
        for address in (reverse("reader:embed_contradiction", args=[self.proposition.slug]), reverse("reader:feed")):
            with self.subTest(address=address):
                content = self.get(address).content.decode()
                self.assertIn(URDU, content)
                self.assertNotIn("SECRET", content)
        self.assertIn(ENGLISH, self.get(reverse("reader:feed")).content.decode())  # the Pashto quote's entry

    def test_the_export_and_the_search_index_leave_them_out(self):
        out = StringIO()
        call_command("export_public", stdout=out)
        self.assertNotIn("SECRET", out.getvalue())
        self.assertEqual(list(search("SECRET")), [])
        self.assertEqual(Translation.objects.public().count(), 1)
        self.assertEqual(Translation.objects.filter(state=ReviewState.APPROVED).count(), 2)
