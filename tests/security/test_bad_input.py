"""Bad input never gives a 500 and never changes anything.

Table-driven: malformed ids and slugs in addresses, NUL bytes and invalid
UTF-8 in query strings and form fields, oversized fields and bodies, tampered
anchors and versions on the desk's endpoints. Each row says the status the app
answers with (a 4xx, or 200 where a read-only page simply finds nothing), and
every POST row checks that no record, version or history entry changed.

What tests/desk and tests/reader already cover is not repeated here: unknown
small ids (404 with a message), form validation messages, stale edits of
claims, oversized and undecodable uploads.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, override_settings
from django.urls import reverse

from claims.models import Actor, Claim, FieldChange, Proposition, Side, Stance, StateChange
from sources.models import Source
from tests.base import BaseTestCase, approve, make_claim

HUGE = str(10**20)  # beyond a 64-bit integer column
HUGER = "9" * 30
SUPERSCRIPT_TWO = "%C2%B2"  # "²": str.isdigit() says yes, int() says no
ARABIC_TWELVE = "%D9%A1%D9%A2"  # "١٢": int() reads 12, but no address spells an id so
NUL = "%00"
BAD_UTF8 = "%ff%fe"  # percent-encoded bytes that are not UTF-8
SHELTER = "the Taliban is providing shelter for TTP members"
SPOKESMAN = "they are not responsible for Pakistan’s internal security issues"
HTMX = {"HTTP_HX_REQUEST": "true"}


class BadInputTestCase(BaseTestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.contradiction = cls.build_contradiction(cls)
        cls.claim = make_claim(cls.source, SPOKESMAN, cls.taliban, cls.analyst)
        cls.proposition = Proposition.objects.create(statement="Kabul disowns the TTP.", created_by=cls.analyst)
        cls.stance = Stance.objects.create(
            claim=cls.claim, proposition=cls.proposition, side=Side.SUPPORTS, created_by=cls.analyst
        )

    def snapshot(self) -> dict:
        """Every record's state and version, and the size of every table bad input could write to."""
        versioned = {
            model.__name__: list(model.objects.order_by("pk").values_list("pk", "version"))
            for model in (Source, Actor, Claim, Proposition, Stance)
        }
        states = {
            f"{model.__name__} states": list(model.objects.order_by("pk").values_list("pk", "state"))
            for model in (Claim, Proposition, Stance)
        }
        counts = {model.__name__: model.objects.count() for model in (StateChange, FieldChange)}
        return versioned | states | counts


def client_for(user=None) -> Client:
    """A client that reports a server error as a 500 row in the table rather than raising it."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


class MalformedAddressTests(BadInputTestCase):
    def rows(self):
        """(who, path, expected status)."""
        slug, source = self.contradiction.slug, self.source.pk
        return [
            ("reader", f"/sources/{HUGE}/", 404),
            ("reader", f"/contradictions/{NUL}/", 404),
            ("reader", f"/contradictions/{slug}{NUL}/", 404),
            ("reader", f"/contradictions/{BAD_UTF8}/", 404),
            ("reader", f"/contradictions/{slug}{NUL}.json", 404),
            ("reader", f"/actors/x{BAD_UTF8}/", 404),
            ("reader", f"/actors/{NUL}/", 404),
            ("reader", f"/sources/{source}{NUL}/", 404),
            ("reader", f"/{BAD_UTF8}/", 404),
            ("analyst", f"/desk/sources/{HUGE}/", 404),
            ("analyst", f"/desk/sources/{HUGE}/claims/new/", 404),
            ("analyst", f"/desk/claims/{HUGE}/edit/", 404),
            ("analyst", f"/desk/stances/{HUGE}/", 404),
            ("analyst", f"/desk/stances/{HUGE}/edit/", 404),
            ("analyst", f"/desk/propositions/{BAD_UTF8}/", 404),
            ("analyst", f"/desk/propositions/{NUL}/edit/", 404),
            ("analyst", f"/desk/propositions/{slug}{NUL}/", 404),
            ("reviewer", f"/admin/claims/claim/{HUGE}/change/", 302),  # back to the list: "does not exist"
            ("reviewer", f"/admin/claims/claim/{NUL}/change/", 302),
            ("reviewer", f"/admin/claims/claim/{BAD_UTF8}/change/", 302),
            ("reviewer", f"/admin/sources/source/{HUGE}/change/", 302),
            ("reviewer", f"/admin/claims/proposition/{HUGE}/history/", 302),
            ("reader", f"/sources/{HUGER}/", 404),
            ("analyst", f"/desk/claims/{HUGER}/edit/", 404),
            ("reviewer", f"/admin/claims/claim/{HUGER}/change/", 302),
        ]

    def test_malformed_ids_and_slugs_are_not_found(self):
        clients = {
            "reader": client_for(),
            "analyst": client_for(self.analyst),
            "reviewer": client_for(self.reviewer),
        }
        got = {f"{who} {path}": clients[who].get(path).status_code for who, path, _ in self.rows()}
        self.assertEqual(got, {f"{who} {path}": status for who, path, status in self.rows()})

    def test_posts_to_malformed_ids_are_not_found_and_change_nothing(self):
        client = client_for(self.analyst)
        before = self.snapshot()
        paths = [
            f"/desk/claims/{HUGE}/edit/",
            f"/desk/claims/{HUGE}/submit/",
            f"/desk/stances/{HUGE}/move/",
            f"/desk/stances/{HUGE}/remove/",
            f"/desk/sources/{HUGE}/submit/",
            f"/desk/propositions/{NUL}/submit/",
            f"/desk/propositions/{BAD_UTF8}/stances/add/",
        ]
        got = {path: client.post(path, {"version": 1, "side": "disputes"}).status_code for path in paths}
        self.assertEqual(got, dict.fromkeys(paths, 404))
        self.assertEqual(self.snapshot(), before)


class QueryStringTests(BadInputTestCase):
    def rows(self):
        """(who, url name, args, query string, expected status)."""
        source = [self.source.pk]
        return [
            ("reader", "reader:search", [], f"q={NUL}", 200),
            ("reader", "reader:search", [], f"q=Taliban{NUL}shelter", 200),
            ("reader", "reader:search", [], f"q={BAD_UTF8}", 400),
            ("reader", "reader:search", [], "q=" + "Taliban+" * 2000, 200),
            ("reader", "reader:search", [], "q=Taliban&page=abc", 200),
            ("reader", "reader:search", [], f"q=Taliban&page={HUGE}", 200),
            # Parameters a page does not read are dropped before it (one cache entry per page as it reads it).
            ("reader", "reader:search", [], f"q=Taliban&utm_source={NUL}&fbclid={HUGE}", 200),
            ("reader", "reader:contradictions", [], f"utm_source=a&sort=claims&utm_source={NUL}", 200),
            ("reader", "reader:home", [], f"utm_source={BAD_UTF8}", 400),  # still refused: not valid text
            ("reader", "reader:contradictions", [], "page=abc", 200),
            ("reader", "reader:contradictions", [], "page=-1", 200),
            ("reader", "reader:contradictions", [], f"page={HUGE}", 200),
            ("reader", "reader:contradictions", [], f"page={NUL}", 200),
            ("reader", "reader:contradictions", [], f"actor={NUL}", 200),
            ("reader", "reader:contradictions", [], f"actor={BAD_UTF8}&source={BAD_UTF8}", 400),
            ("reader", "reader:contradictions", [], f"source={HUGE}", 200),
            ("reader", "reader:contradictions", [], f"q={NUL}&sort={NUL}", 200),
            ("reader", "reader:home", [], f"page={NUL}&q={BAD_UTF8}", 400),
            ("reader", "reader:source", source, f"page={HUGE}&claim={NUL}", 200),
            ("analyst", "desk:actor_suggestions", [], f"claimant={NUL}", 200),
            ("analyst", "desk:actor_suggestions", [], f"claimant=Tali{NUL}ban", 200),
            ("analyst", "desk:actor_suggestions", [], f"field=reported_by&reported_by=Pa{NUL}k", 200),
            ("analyst", "desk:proposition_suggestions", [], f"proposition=TTP{NUL}shelter", 200),
            ("analyst", "desk:proposition_suggestions", [], f"proposition=Zq{NUL}zq", 200),
            ("analyst", "desk:proposition_suggestions", [], f"field=statement&statement=Zq{NUL}zq", 200),
            ("analyst", "desk:similar_claims", [], f"paraphrase=Zq{NUL}zq", 200),
            ("analyst", "desk:propositions", [], f"q=Zq{NUL}zq", 200),
            ("reader", "reader:search", [], f"q=Zq{NUL}zq", 200),
            ("analyst", "desk:similar_claims", [], f"paraphrase=Taliban+shel{NUL}ter+TTP", 200),
            ("analyst", "desk:propositions", [], f"q=Tali{NUL}ban", 200),
            ("analyst", "desk:anchor_preview", source, f"quote=Tali{NUL}ban&prefix=a{NUL}b&suffix={NUL}{NUL}", 200),
            ("reader", "reader:contradictions", [], f"actor=Tali{NUL}ban&source=Sam{NUL}ple", 200),
            ("reader", "reader:questions", [], f"actor=Tali{NUL}ban&source={HUGE}&disputed={NUL}&sort={NUL}", 200),
            ("reader", "reader:questions", [], f"page={HUGE}&year=%C2%B2%C2%B2%C2%B2%C2%B2&disputed=%C2%B9", 200),
            ("reader", "reader:questions", [], f"actor={BAD_UTF8}", 400),
            ("reader", "reader:search", [], f"q=%22Tali{NUL}ban%22+-TTP+OR", 200),
            ("analyst", "desk:actor_suggestions", [], f"field={NUL}&{NUL}=x", 404),  # no such field
            ("analyst", "desk:actor_suggestions", [], f"claimant={BAD_UTF8}", 400),
            ("analyst", "desk:proposition_suggestions", [], f"proposition={NUL}&exclude={NUL}", 200),
            ("analyst", "desk:proposition_suggestions", [], f"proposition=TTP&exclude={HUGE}", 200),
            ("analyst", "desk:similar_claims", [], f"paraphrase=Taliban{NUL}&exclude={NUL}", 200),
            ("analyst", "desk:similar_claims", [], f"paraphrase={BAD_UTF8}&exclude={HUGE}", 400),
            ("analyst", "desk:propositions", [], f"q={NUL}", 200),
            ("analyst", "desk:propositions", [], f"q={BAD_UTF8}&page={HUGE}", 400),
            ("analyst", "desk:home", [], f"q={NUL}&page=abc", 200),
            ("analyst", "desk:anchor_preview", source, f"quote=Taliban{NUL}", 200),
            ("analyst", "desk:anchor_preview", source, f"quote={BAD_UTF8}&start=-1", 400),
            ("analyst", "desk:anchor_preview", source, f"quote=Taliban&start={HUGE}", 200),
            ("analyst", "desk:anchor_preview", source, f"quote=Taliban&start=abc&prefix={NUL}", 200),
            ("analyst", "desk:claim_new", source, f"quote={NUL}&start=abc", 200),
            ("reviewer", "admin:claims_claim_changelist", [], f"q=Tali{NUL}ban", 200),
            ("reviewer", "admin:claims_actor_changelist", [], f"q=Pa{NUL}k", 200),
            ("reviewer", "admin:sources_source_changelist", [], f"q=Sam{NUL}ple&language=en", 200),
            ("reviewer", "admin:accounts_loginthrottle_changelist", [], f"q=al{NUL}ice", 403),
            # A malformed filter goes to the admin's "?e=1" page (a 302), like Django's own bad lookups.
            ("reviewer", "admin:claims_actor_changelist", [], f"kind={NUL}", 302),
            ("reviewer", "admin:claims_claim_changelist", [], f"state__exact=dr{NUL}aft", 302),
            ("reviewer", "admin:sources_source_changelist", [], f"q={BAD_UTF8}&created_at__year={HUGE}", 400),
            ("reviewer", "admin:claims_statechange_changelist", [], f"at__year={HUGE}&at__month=1", 302),
            ("reviewer", "admin:claims_claim_changelist", [], "created_at__year=abc", 302),
            ("reviewer", "admin:claims_stance_changelist", [], f"q=Tali{NUL}ban&p=abc", 200),
            ("reviewer", "admin:claims_fieldchange_changelist", [], f"q=a{NUL}b", 200),
            ("reviewer", "admin:review_queue", [], f"kind={NUL}", 200),
            (
                "reviewer",
                "admin:autocomplete",
                [],
                f"term=Tali{NUL}ban&app_label=claims&model_name=claim&field_name=claimant",
                200,
            ),
            ("analyst", "desk:claim_new", source, f"quote={BAD_UTF8}&start={HUGE}", 400),
            # Digits that are not ASCII, and numbers beyond the id column, name no record.
            ("reader", "reader:contradictions", [], f"source={SUPERSCRIPT_TWO}", 200),
            ("reader", "reader:contradictions", [], f"source={ARABIC_TWELVE}", 200),
            ("reader", "reader:contradictions", [], f"source={HUGER}&actor={SUPERSCRIPT_TWO}", 200),
            ("reader", "reader:contradictions", [], f"year={SUPERSCRIPT_TWO}&page={SUPERSCRIPT_TWO}", 200),
            ("reader", "reader:search", [], f"q=Taliban&page={SUPERSCRIPT_TWO}", 200),
            ("reader", "reader:source", source, f"page={SUPERSCRIPT_TWO}", 200),
            ("analyst", "desk:anchor_preview", source, f"quote=Taliban&start={SUPERSCRIPT_TWO}", 200),
            ("analyst", "desk:anchor_preview", source, f"quote=Taliban&start={HUGER}", 200),
            ("analyst", "desk:claim_new", source, f"quote=Taliban&start={SUPERSCRIPT_TWO}", 200),
            ("analyst", "desk:claim_new", source, f"quote=Taliban&start={ARABIC_TWELVE}", 200),
            ("analyst", "desk:proposition_suggestions", [], f"proposition=TTP&exclude={SUPERSCRIPT_TWO}", 200),
            ("analyst", "desk:proposition_suggestions", [], f"proposition=TTP&exclude={HUGER}", 200),
            ("analyst", "desk:similar_claims", [], f"paraphrase=Taliban&exclude={SUPERSCRIPT_TWO}", 200),
            ("analyst", "desk:similar_claims", [], f"paraphrase=Taliban&exclude={HUGER}", 200),
            ("analyst", "desk:home", [], f"show=drafts&page={SUPERSCRIPT_TWO}", 200),
            ("reviewer", "admin:claims_claim_changelist", [], f"id={SUPERSCRIPT_TWO}", 302),
            ("reviewer", "admin:claims_claim_changelist", [], f"claimant__id__exact={HUGER}", 200),
        ]

    def test_nul_bytes_invalid_utf8_and_odd_pages_in_query_strings_are_answered(self):
        clients = {"reader": client_for(), "analyst": client_for(self.analyst), "reviewer": client_for(self.reviewer)}
        got, expected = {}, {}
        for who, name, args, query, status in self.rows():
            key = f"{who} {name}?{query[:60]}"
            got[key] = clients[who].get(f"{reverse(name, args=args)}?{query}").status_code
            expected[key] = status
        self.assertEqual(got, expected)


class FormFieldTests(BadInputTestCase):
    """Desk posts with hostile field values: refused with a 4xx and nothing saved."""

    def rows(self):
        """(what, url, data, expected status). The data is a good post with one field spoiled."""
        source, claim, stance, proposition = self.source, self.claim, self.stance, self.proposition
        new_source = {"title": "Kabul report", "language": "en", "text": "Another text entirely."}
        new_claim = {"quote": SHELTER, "claimant": "Afghan Taliban", "paraphrase": "Shelter."}
        claim_edit = {"quote": SPOKESMAN, "claimant": "Afghan Taliban", "paraphrase": "Not us.", "version": 1}
        stance_edit = {"paraphrase": "Not us.", "claim_version": 1, "note": "Direct.", "stance_version": 1}
        import_url = reverse("desk:source_import")
        claim_new_url = reverse("desk:claim_new", args=[source.pk])
        claim_edit_url = reverse("desk:claim_edit", args=[claim.pk])
        stance_edit_url = reverse("desk:stance_edit", args=[stance.pk])
        move_url = reverse("desk:stance_move", args=[stance.pk])
        remove_url = reverse("desk:stance_remove", args=[stance.pk])
        proposition_url = reverse("desk:proposition_edit", args=[proposition.slug])
        return [
            ("import: NUL in the title", import_url, new_source | {"title": "Kabul\x00report"}, 422),
            ("import: NUL in the text", import_url, new_source | {"text": "Another\x00text."}, 422),
            ("import: NUL in the language", import_url, new_source | {"language": "e\x00n"}, 422),
            ("import: NUL in the date", import_url, new_source | {"published": "2022\x00-01"}, 422),
            ("import: a 501-character title", import_url, new_source | {"title": "T" * 501}, 422),
            ("import: a 2001-character address", import_url, new_source | {"url": "https://x.org/" + "a" * 2000}, 422),
            ("import: a date in year 0", import_url, new_source | {"published": "0000-01-01"}, 422),
            ("import: a date in year 99999", import_url, new_source | {"published": "99999-01-01"}, 422),
            ("claim: NUL in the quote", claim_new_url, new_claim | {"quote": SHELTER + "\x00"}, 422),
            ("claim: NUL in the paraphrase", claim_new_url, new_claim | {"paraphrase": "Shel\x00ter."}, 422),
            ("claim: NUL in the claimant", claim_new_url, new_claim | {"claimant": "Afghan\x00Taliban"}, 422),
            ("claim: a 301-character paraphrase", claim_new_url, new_claim | {"paraphrase": "p" * 301}, 422),
            ("claim: a 100 000-character quote", claim_new_url, new_claim | {"quote": "q" * 100_000}, 422),
            ("claim: start is negative", claim_new_url, new_claim | {"start": "-1"}, 422),
            ("claim: start is not a number", claim_new_url, new_claim | {"start": "abc"}, 422),
            ("claim: start is a float", claim_new_url, new_claim | {"start": "1.5"}, 422),
            ("claim: a date in year 99999", claim_new_url, new_claim | {"asserted": "99999"}, 422),
            ("claim: an unknown side", claim_new_url, new_claim | {"side": "maybe", "proposition": "x"}, 422),
            ("claim edit: version is not a number", claim_edit_url, claim_edit | {"version": "abc"}, 422),
            ("claim edit: version is negative", claim_edit_url, claim_edit | {"version": "-1"}, 409),
            ("claim edit: version is huge", claim_edit_url, claim_edit | {"version": HUGE}, 409),
            ("claim edit: no version", claim_edit_url, {k: v for k, v in claim_edit.items() if k != "version"}, 422),
            ("claim edit: NUL in the quote", claim_edit_url, claim_edit | {"quote": "\x00"}, 422),
            ("stance edit: stale stance version", stance_edit_url, stance_edit | {"stance_version": 0}, 409),
            ("stance edit: stale claim version", stance_edit_url, stance_edit | {"claim_version": 7}, 409),
            ("stance edit: version not a number", stance_edit_url, stance_edit | {"stance_version": "v1"}, 422),
            ("stance edit: NUL in the note", stance_edit_url, stance_edit | {"note": "Di\x00rect."}, 422),
            ("stance edit: a 301-character paraphrase", stance_edit_url, stance_edit | {"paraphrase": "p" * 301}, 422),
            ("move: an unknown side", move_url, {"side": "sideways", "version": 1}, 422),
            ("move: version not a number", move_url, {"side": "disputes", "version": "one"}, 422),
            ("move: a stale version", move_url, {"side": "disputes", "version": 0}, 409),
            ("move: a huge version", move_url, {"side": "disputes", "version": HUGE}, 409),
            ("remove: a stale version", remove_url, {"version": 5}, 409),
            ("remove: version not a number", remove_url, {"version": "x"}, 422),
            ("proposition: NUL in the statement", proposition_url, {"statement": "A\x00B", "version": 1}, 422),
            ("proposition: a stale version", proposition_url, {"statement": "Kabul disowns it.", "version": 0}, 409),
            ("import: a text of zero-width spaces", import_url, new_source | {"text": "\u200b" * 40}, 422),
            (
                "import: a text of joiners and marks",
                import_url,
                new_source | {"text": "\u200c\u200d\u2060\ufeff\u200e\u200f \n"},
                422,
            ),
            ("import: a text of bidi controls", import_url, new_source | {"text": "\u202e\u2067\u2069\u3000"}, 422),
        ]

    def test_hostile_field_values_are_refused_and_change_nothing(self):
        client = client_for(self.analyst)
        got, expected = {}, {}
        before = self.snapshot()
        for what, url, data, status in self.rows():
            response = client.post(url, data)
            changed = self.snapshot() != before
            got[what] = (response.status_code, "changed" if changed else "unchanged")
            expected[what] = (status, "unchanged")
        self.maxDiff = None
        self.assertEqual(got, expected)

    def test_the_same_posts_over_htmx_are_refused_too(self):
        client = client_for(self.analyst)
        before = self.snapshot()
        statuses = {what: client.post(url, data, **HTMX).status_code for what, url, data, _ in self.rows()}
        self.assertEqual({what: status for what, status in statuses.items() if not 400 <= status < 500}, {})
        self.assertEqual(self.snapshot(), before)

    def test_a_refused_paraphrase_is_shown_again_with_the_reason(self):
        client = client_for(self.analyst)
        response = client.post(
            reverse("desk:claim_new", args=[self.source.pk]),
            {"quote": SHELTER, "claimant": "Afghan Taliban", "paraphrase": "p" * 301},
        )
        self.assertContains(response, "at most 300 characters", status_code=422)
        self.assertContains(response, "p" * 301, status_code=422)

    def test_a_nul_byte_is_named_as_the_problem(self):
        client = client_for(self.analyst)
        response = client.post(
            reverse("desk:source_import"), {"title": "Kabul\x00report", "language": "en", "text": "x"}
        )
        self.assertContains(response, "Null characters are not allowed", status_code=422)


class InvalidUtf8FormTests(BadInputTestCase):
    """Form bodies whose bytes are not UTF-8 (sent raw, as a broken client would)."""

    def post_raw(self, url: str, body: bytes, **headers):
        return client_for(self.analyst).post(url, body, content_type="application/x-www-form-urlencoded", **headers)

    def test_invalid_utf8_in_a_typed_field_is_refused_and_named(self):
        before = self.snapshot()
        body = b"title=Kabul%ff%fereport&language=en&text=Some+text"
        response = self.post_raw(reverse("desk:source_import"), body)
        self.assertContains(response, "The field “title” arrived with bytes that are not valid text", status_code=400)
        self.assertContains(response, "nothing was saved", status_code=400)
        self.assertEqual(self.snapshot(), before)

    def test_raw_bytes_that_are_not_utf8_are_refused_too(self):
        before = self.snapshot()
        response = self.post_raw(reverse("desk:source_import"), b"title=Kabul&language=en&text=caf\xe9")
        self.assertContains(response, "The field “text”", status_code=400)
        self.assertEqual(self.snapshot(), before)

    def test_a_claim_whose_quote_is_invalid_utf8_is_refused(self):
        before = self.snapshot()
        body = b"quote=the+Taliban+%ff%fe&claimant=Afghan+Taliban&paraphrase=Shelter."
        response = self.post_raw(reverse("desk:claim_new", args=[self.source.pk]), body)
        self.assertContains(response, "The field “quote”", status_code=400)
        self.assertEqual(self.snapshot(), before)

    def test_over_htmx_the_refusal_is_a_fragment_the_desk_shows_in_its_status_region(self):
        body = b"quote=the+Taliban+%c3%28&claimant=Afghan+Taliban&paraphrase=Shelter."
        response = self.post_raw(reverse("desk:claim_new", args=[self.source.pk]), body, **HTMX)
        self.assertContains(response, "data-desk-error", status_code=400)
        self.assertNotContains(response, "<html", status_code=400)

    def post_multipart(self, fields: list[tuple[bytes, bytes, bytes | None]]):
        """A multipart body built by hand: (name, value, filename or None) per part."""
        boundary = b"----claimtrackerboundary"
        parts = []
        for name, value, filename in fields:
            disposition = b'form-data; name="' + name + b'"'
            if filename is not None:
                disposition += b'; filename="' + filename + b'"\r\nContent-Type: text/plain'
            parts.append(b"--" + boundary + b"\r\nContent-Disposition: " + disposition + b"\r\n\r\n" + value + b"\r\n")
        body = b"".join(parts) + b"--" + boundary + b"--\r\n"
        return client_for(self.analyst).post(
            reverse("desk:source_import"), body, content_type=f"multipart/form-data; boundary={boundary.decode()}"
        )

    def test_a_multipart_text_field_that_is_not_utf8_is_refused(self):
        before = self.snapshot()
        response = self.post_multipart(
            [(b"title", b"Kabul \xff report", None), (b"language", b"en", None), (b"file", b"Some text.", b"a.txt")]
        )
        self.assertContains(response, "The field “title”", status_code=400)
        self.assertEqual(self.snapshot(), before)

    def test_a_multipart_upload_with_utf8_fields_goes_through_to_the_importer(self):
        fields = [(b"title", "Kabul رپورت".encode(), None), (b"language", b"fa", None)]
        response = self.post_multipart([*fields, (b"file", "متن گزارش.".encode(), b"a.txt")])
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Source.objects.latest("pk").text, "متن گزارش.")
        # An uploaded file that is not UTF-8 is the importer's to explain.
        response = self.post_multipart([*fields, (b"file", b"caf\xe9 \xff", b"b.txt")])
        self.assertEqual(response.status_code, 422)

    def test_a_field_name_that_is_not_utf8_is_refused(self):
        response = self.post_raw(reverse("desk:source_import"), b"ti%fftle=Kabul&language=en&text=x")
        self.assertEqual(response.status_code, 400)

    def test_valid_multibyte_text_is_accepted(self):
        body = b"title=Kabul+%D8%B1%D9%BE%D9%88%D8%B1%D8%AA&language=fa&text=%D9%85%D8%AA%D9%86"
        response = self.post_raw(reverse("desk:source_import"), body)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Source.objects.latest("pk").title, "Kabul رپورت")

    def test_an_address_parameter_that_is_not_utf8_is_refused_on_public_pages(self):
        response = Client().get(reverse("reader:search"), QUERY_STRING="q=Kabul%ff")
        self.assertContains(response, "The address has a parameter “q”", status_code=400)
        self.assertContains(response, "Error 400", status_code=400)


class OversizedRequestTests(BadInputTestCase):
    def test_a_10_megabyte_text_field_is_refused_and_saves_nothing(self):
        before = self.snapshot()
        response = client_for(self.analyst).post(
            reverse("desk:source_import"), {"title": "Huge", "language": "en", "text": "word " * 2_000_000}
        )
        self.assertIn(response.status_code, (400, 413))
        self.assertEqual(self.snapshot(), before)

    @override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=100)
    def test_too_many_form_fields_are_refused_and_save_nothing(self):
        before = self.snapshot()
        data = {"quote": SHELTER, "claimant": "Afghan Taliban", "paraphrase": "Shelter."}
        data |= {f"extra{n}": "x" for n in range(200)}
        response = client_for(self.analyst).post(reverse("desk:claim_new", args=[self.source.pk]), data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.snapshot(), before)


class TamperedAnchorTests(BadInputTestCase):
    """The anchor is computed from the text: a forged start or end cannot point a quote elsewhere.

    "the Taliban" appears twice in the sample text; a start offset only chooses
    the nearer occurrence, and whatever is stored is an exact occurrence.
    """

    def record(self, **fields):
        data = {"quote": "the Taliban", "claimant": "Afghan Taliban", "paraphrase": "Shelter.", **fields}
        return client_for(self.analyst).post(reverse("desk:claim_new", args=[self.source.pk]), data)

    def occurrences(self) -> list[int]:
        text = self.source.text
        first = text.index("the Taliban")
        return [first, text.index("the Taliban", first + 1)]

    def assert_anchored_at(self, start: int):
        claim = Claim.objects.latest("pk")
        self.assertEqual((claim.start, claim.end), (start, start + len("the Taliban")))
        self.assertEqual(self.source.text[claim.start : claim.end], claim.quote)

    def test_a_start_between_the_occurrences_anchors_at_the_nearer_one(self):
        second = self.occurrences()[1]
        self.record(start=str(second - 2))
        self.assert_anchored_at(second)

    def test_a_start_beyond_the_text_anchors_at_the_last_occurrence(self):
        self.record(start=str(len(self.source.text) + 10))
        self.assert_anchored_at(self.occurrences()[1])

    def test_a_forged_end_is_ignored_and_the_stored_anchor_is_the_quote(self):
        first = self.occurrences()[0]
        self.record(start=str(first), end="3")
        self.assert_anchored_at(first)


class TamperedRevisionTests(BadInputTestCase):
    """Revising an approved record with a forged version: refused, nothing proposed."""

    def test_a_stale_or_forged_version_proposes_nothing(self):
        claim = approve(make_claim(self.source, "Pakistan claims", self.pakistan, self.analyst), self.reviewer)
        url = reverse("desk:claim_revise", args=[claim.pk])
        data = {"quote": "Pakistan claims", "claimant": "Government of Pakistan", "paraphrase": "Revised."}
        client = client_for(self.analyst)
        before = self.snapshot()
        statuses = [client.post(url, data | {"version": version}).status_code for version in ("0", "-3", HUGE, "x")]
        self.assertEqual(statuses, [409, 409, 409, 422])
        self.assertEqual(self.snapshot(), before)
        self.assertFalse(claim.pending_revision())


class ReviewQueueKeyTests(BadInputTestCase):
    """The review queue's bulk form names records as ``kind:id``; a malformed id selects nothing."""

    def test_keys_with_unicode_digits_or_huge_ids_select_nothing_and_change_nothing(self):
        client = client_for(self.reviewer)
        before = self.snapshot()
        keys = [
            "claim:²",
            f"claim:{HUGER}",
            f"stance:{HUGE}",
            "claim:١٢",
            "claim:１２",
            "claim: 1",
            "claim:1_0",
            "claim:-1",
        ]
        got = {
            key: client.post(reverse("admin:review_queue"), {"action": "approve", "item": key}).status_code
            for key in keys
        }
        self.assertEqual(got, dict.fromkeys(keys, 302))
        self.assertEqual(self.snapshot(), before)

    def test_the_reviewer_is_told_that_nothing_was_selected(self):
        response = client_for(self.reviewer).post(
            reverse("admin:review_queue"), {"action": "approve", "item": ["claim:²", f"claim:{HUGER}"]}, follow=True
        )
        self.assertContains(response, "Select the items to act on first")


NON_TEXT_CODECS = ["rot13", "zlib", "base64", "hex", "bz2", "uu", "uu_codec", "quopri", "punycode", "idna", "undefined"]


class NonTextCharsetTests(BadInputTestCase):
    """A Content-Type charset that is a codec but not a text encoding: a 400 that says so, never a 500."""

    def post_raw(self, url: str, body: bytes, content_type: str, user=None):
        # generic() sends the bytes as they are; post() would encode them in the charset named.
        return client_for(user or self.analyst).generic("POST", url, body, content_type=content_type)

    def test_a_form_in_a_non_text_charset_is_refused_and_changes_nothing(self):
        before = self.snapshot()
        got = {
            codec: self.post_raw(
                reverse("desk:source_import"),
                b"title=Kabul&language=en&text=Some+text",
                f"application/x-www-form-urlencoded; charset={codec}",
            ).status_code
            for codec in NON_TEXT_CODECS
        }
        self.assertEqual(got, dict.fromkeys(NON_TEXT_CODECS, 400))
        self.assertEqual(self.snapshot(), before)

    def test_the_refusal_names_the_charset(self):
        response = self.post_raw(
            reverse("desk:claim_new", args=[self.source.pk]),
            b"quote=the+Taliban&claimant=Afghan+Taliban&paraphrase=x",
            "application/x-www-form-urlencoded; charset=rot13",
        )
        self.assertContains(response, "“rot13”, which is not a character set", status_code=400)

    def test_a_multipart_form_in_a_non_text_charset_is_refused(self):
        body = b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nKabul\r\n--b--\r\n'
        response = self.post_raw(reverse("desk:source_import"), body, "multipart/form-data; boundary=b; charset=zlib")
        self.assertEqual(response.status_code, 400)

    def wsgi_get(self, path: str, query: str, content_type: str) -> int:
        """The status the deployed WSGI application (config.wsgi) answers with.

        Django builds the request, decoding the query string in the declared
        charset, before any middleware runs; the test client cannot show that.
        """
        from config.wsgi import application

        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": content_type,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
        }
        statuses = []
        # As the test client does: the test's database connection must outlive the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
            b"".join(body)
            body.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return int(statuses[0].split()[0])

    def test_a_page_requested_with_a_non_text_charset_is_refused(self):
        paths = [(reverse("reader:search"), "q=Taliban"), (reverse("reader:contradictions"), "source=1&page=2")]
        got = {
            f"{path}?{query} {codec}": self.wsgi_get(path, query, f"text/plain; charset={codec}")
            for path, query in paths
            for codec in NON_TEXT_CODECS
        }
        self.assertEqual(got, dict.fromkeys(got, 400))
        self.assertEqual(self.wsgi_get(reverse("reader:search"), "q=Taliban", "text/plain; charset=utf-8"), 200)

    def test_text_encodings_and_unknown_labels_are_still_read(self):
        response = client_for().get(reverse("reader:search") + "?q=Taliban", CONTENT_TYPE="text/plain; charset=latin-1")
        self.assertEqual(response.status_code, 200)
        response = client_for().get(
            reverse("reader:search") + "?q=Taliban", CONTENT_TYPE="text/plain; charset=no-such-codec"
        )
        self.assertEqual(response.status_code, 200)

    def test_an_uploaded_html_file_declaring_a_non_text_codec_is_read_as_utf8(self):
        client = client_for(self.analyst)
        for number, codec in enumerate(NON_TEXT_CODECS):
            html = (
                f'<html><head><meta charset="{codec}"></head><body><p>Kabul report {number}: طالبان.</p></body></html>'
            )
            data = {
                "title": f"Report {number}",
                "language": "en",
                "file": SimpleUploadedFile("page.html", html.encode()),
            }
            response = client.post(reverse("desk:source_import"), data)
            self.assertEqual(response.status_code, 302, codec)
            self.assertEqual(Source.objects.latest("pk").text, f"Kabul report {number}: طالبان.")

    def test_an_uploaded_html_file_in_a_non_text_codec_that_is_not_utf8_is_refused_with_a_reason(self):
        html = b'<meta http-equiv="Content-Type" content="text/html; charset=base64"><p>caf\xe9</p>'
        data = {"title": "Report", "language": "en", "file": SimpleUploadedFile("page.htm", html)}
        before = self.snapshot()
        response = client_for(self.analyst).post(reverse("desk:source_import"), data)
        self.assertContains(response, "is not valid UTF-8 text", status_code=422)
        self.assertEqual(self.snapshot(), before)


class InvisibleTextTests(BadInputTestCase):
    def test_a_source_of_only_invisible_characters_is_refused_with_a_reason(self):
        data = {"title": "Blank", "language": "en", "text": "\u200b\u200c\u200d\u2060\ufeff\u200e \u200b"}
        before = self.snapshot()
        response = client_for(self.analyst).post(reverse("desk:source_import"), data)
        self.assertContains(response, "only invisible characters", status_code=422)
        self.assertEqual(self.snapshot(), before)

    def test_an_uploaded_file_of_only_invisible_characters_is_refused(self):
        upload = SimpleUploadedFile("blank.html", "<p>\u200b&#x200B;&zwj;</p><p>\u2060</p>".encode())
        response = client_for(self.analyst).post(
            reverse("desk:source_import"), {"title": "Blank", "language": "en", "file": upload}
        )
        self.assertContains(response, "only invisible characters", status_code=422)


@override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])
class HostileHeaderTests(BadInputTestCase):
    """A Host we do not serve, a session cookie that names no session, a form without its CSRF token."""

    def rows(self):
        """(who, method, path, headers, expected status)."""
        home, login, board = reverse("reader:home"), reverse("login"), reverse("desk:propositions")
        return [
            ("reader", "get", home, {"HTTP_HOST": "evil.com"}, 400),
            ("reader", "get", self.contradiction.get_absolute_url(), {"HTTP_HOST": "evil.com:8000"}, 400),
            ("reader", "get", home, {"HTTP_HOST": "bad host!"}, 400),
            ("reader", "post", login, {"HTTP_HOST": "evil.com"}, 400),
            ("analyst", "get", board, {"HTTP_HOST": "evil.com", **HTMX}, 400),
            ("reader", "get", home, {"HTTP_COOKIE": "sessionid=forged"}, 200),
            ("reader", "get", home, {"HTTP_COOKIE": "sessionid=" + "k" * 32}, 200),
            ("reader", "post", login, {"csrf": "enforced"}, 403),
            ("analyst", "post", board, {"csrf": "enforced", **HTMX}, 403),
        ]

    def test_hostile_headers_are_answered_with_a_4xx_and_change_nothing(self):
        before = self.snapshot()
        got, expected = {}, {}
        for who, method, path, headers, status in self.rows():
            headers = dict(headers)
            client = Client(raise_request_exception=False, enforce_csrf_checks=bool(headers.pop("csrf", None)))
            if who == "analyst":
                client.force_login(self.analyst)
            key = f"{who} {method} {path} {sorted(headers.items())}"[:160]
            got[key] = getattr(client, method)(path, {"statement": "Forged.", "version": 1}, **headers).status_code
            expected[key] = status
        self.assertEqual(got, expected)
        self.assertEqual(self.snapshot(), before)
