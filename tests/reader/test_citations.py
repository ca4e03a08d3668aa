"""Citations: each format read back by a library and compared with the record, only public records, query counts.

BibTeX is read by bibtexparser (LaTeX decoded by pylatexenc), RIS by rispy,
CSL-JSON checked against the CSL 1.0.2 data model and rendered by citeproc-py.
"""

import datetime
import json
import re

import bibtexparser
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation as CiteprocCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from claims.models import Actor, Answer, Claim, Proposition, Question
from reader import citations
from sources.dates import DatePrecision
from sources.models import Source
from tests.base import approve, make_source
from tests.reader.builders import ReaderTestCase

PERSIAN = "طالبان می‌گویند از خاک افغانستان به «TTP» کمک نمی‌کنند؛ چرا؟"
URDU = "پاکستان کا کہنا ہے کہ طالبان ٹی ٹی پی کو پناہ دیتے ہیں۔"
PASHTO = "ذبیح الله مجاهد وايي چې کابل د پاکستان د امنیت مسؤل نه دی"
ARABIC = "قالت الحكومة إن «الهدنة» انتهت في نوفمبر ٢٠٢٢."
# Every LaTeX special, unbalanced braces, TeX ligatures and a line break between two paragraphs.
AWKWARD = 'He said: "100% of {them} & #1_x^2 ~ \\ $5" -- ``not <<ours>> }{\n\nAnd more, ,, !` ?` @'


def latex_decoder() -> LatexNodes2Text:
    """pylatexenc's decoder, told what three standard LaTeX text macros it does not know write."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "text-specials",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            # pylatexenc writes U+02C6 (modifier letter); LaTeX prints the ASCII circumflex.
            MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


DECODER = latex_decoder()


def read_bibtex(text: str) -> dict:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware(decoder=DECODER)])
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    assert len(library.entries) == 1
    entry = library.entries[0]
    return {"type": entry.entry_type, "key": entry.key, **{field.key: field.value for field in entry.fields}}


def read_ris(text: str) -> dict:
    records = rispy.loads(text)
    assert len(records) == 1, records
    return records[0]


def one_line(text: str) -> str:
    return re.sub(r"\s*\n+\s*", " ", text)


CSL_NAME_FIELDS = {"author", "original-author", "container-author", "editor", "translator"}
CSL_DATE_FIELDS = {"issued", "accessed", "original-date"}
CSL_TYPES = {"webpage", "article", "article-newspaper", "document", "entry", "dataset"}


def check_csl_item(test, item: dict) -> None:
    """The CSL 1.0.2 data model (csl-data.json): id and type, names as objects, dates as date-parts."""
    test.assertIsInstance(item["id"], str)
    test.assertIn(item["type"], CSL_TYPES)
    for key, value in item.items():
        if key in CSL_NAME_FIELDS:
            test.assertIsInstance(value, list)
            for name in value:
                test.assertTrue(set(name) <= {"literal", "family", "given"} and name, name)
                test.assertTrue(all(isinstance(part, str) and part for part in name.values()))
        elif key in CSL_DATE_FIELDS:
            test.assertEqual(set(value), {"date-parts"})
            (parts,) = value["date-parts"]
            test.assertTrue(1 <= len(parts) <= 3 and all(isinstance(part, int) for part in parts), parts)
            if len(parts) > 1:
                test.assertTrue(1 <= parts[1] <= 12)
        else:
            test.assertIsInstance(value, str, key)


def render_csl(items: list[dict], key: str) -> str:
    bibliography = CitationStylesBibliography(
        CitationStylesStyle("harvard-cite-them-right", validate=False), CiteProcJSON(items), formatter.plain
    )
    bibliography.register(CiteprocCitation([CitationItem(key)]))
    return "".join(str(part) for part in bibliography.bibliography()[0])


def unsaved_claim(quote: str = "they are not responsible", **fields) -> Claim:
    source = Source(
        title=fields.pop("title", "Taliban Mediates, Again"),
        outlet=fields.pop("outlet", "The Diplomat"),
        authors=fields.pop("authors", "Doğacan Başaran, Shadi Khan Saif"),
        published_on=fields.pop("published_on", datetime.date(2022, 12, 1)),
        published_precision=fields.pop("published_precision", DatePrecision.MONTH),
        url=fields.pop("url", "https://example.org/2022/12/mediates_again?x=1&y=%20#top"),
        language=fields.pop("language", "en"),
    )
    claimant = Actor(name=fields.pop("claimant", "Zabihullah Mujahid"))
    reporter = fields.pop("reported_by", None)
    claim = Claim(
        pk=42,
        source=source,
        claimant=claimant,
        quote=quote,
        asserted_on=fields.pop("asserted_on", datetime.date(2022, 12, 23)),
        asserted_precision=fields.pop("asserted_precision", DatePrecision.DAY),
    )
    if reporter:
        claim.reported_by = Actor(pk=7, name=reporter)
    return claim


URL = "https://claims.example.org/sources/3/#claim-42"
ACCESSED = datetime.date(2026, 12, 6)


class ClaimFormatsTest(SimpleTestCase):
    """The formats themselves, from unsaved records: no database."""

    def cite(self, claim: Claim) -> citations.Citation:
        return citations.claim_citation(claim, url=URL, accessed=ACCESSED)

    def test_bibtex_reads_back_as_the_record(self):
        entry = read_bibtex(citations.bibtex([self.cite(unsaved_claim(reported_by="The Express Tribune"))]))

        self.assertEqual(entry["type"], "misc")
        self.assertEqual(entry["key"], "claimtracker-claim-42")
        self.assertEqual(entry["author"], "Zabihullah Mujahid")
        self.assertEqual(entry["title"], "they are not responsible")
        self.assertEqual((entry["date"], entry["year"], entry["month"]), ("2022-12-23", "2022", "dec"))
        self.assertEqual((entry["url"], entry["urldate"]), (URL, "2026-12-06"))
        self.assertEqual(entry["howpublished"], "Claim Tracker")
        self.assertEqual(
            (entry["origtitle"], entry["origpublisher"], entry["origdate"]),
            ("Taliban Mediates, Again", "The Diplomat", "2022-12"),
        )
        self.assertEqual(
            entry["note"],
            "Quoted in “Taliban Mediates, Again”, The Diplomat, by Doğacan Başaran and Shadi Khan Saif, "
            "published December 2022 (https://example.org/2022/12/mediates_again?x=1&y=%20#top); "
            "as reported by The Express Tribune.",
        )

    def test_bibtex_keeps_names_whole_and_the_quote_in_its_case(self):
        text = citations.bibtex([self.cite(unsaved_claim("NOT Responsible", claimant="Government of Pakistan"))])

        # Braced: no style reads "of Pakistan" as a surname or lowercases an exact quote.
        self.assertRegex(text, r"\n  author += \{\{Government of Pakistan\}\},\n")
        self.assertRegex(text, r"\n  title += \{\{NOT Responsible\}\},\n")

    def test_ris_reads_back_as_the_record(self):
        record = read_ris(citations.ris([self.cite(unsaved_claim(reported_by="The Express Tribune"))]))

        self.assertEqual(record["type_of_reference"], "ELEC")
        self.assertEqual(record["id"], "claimtracker-claim-42")
        self.assertEqual(record["authors"], ["Zabihullah Mujahid"])
        self.assertEqual(record["title"], "they are not responsible")
        self.assertEqual((record["year"], record["date"]), ("2022", "2022/12/23/"))
        self.assertEqual((record["urls"], record["access_date"]), ([URL], "2026/12/06"))
        self.assertEqual(record["secondary_title"], "Claim Tracker")
        self.assertEqual(record["original_publication"], "Taliban Mediates, Again")
        self.assertEqual(record["language"], "en")
        self.assertIn("by Doğacan Başaran and Shadi Khan Saif, published December 2022", record["notes"][0])
        self.assertIn("as reported by The Express Tribune", record["notes"][0])

    def test_ris_is_one_tagged_line_per_field_ending_in_crlf(self):
        text = citations.ris([self.cite(unsaved_claim("one\n\ntwo\r\nER  - \u2028three\x85four\u2029five"))])

        lines = text.split("\r\n")
        self.assertEqual(lines[-1], "")
        for line in lines[:-1]:
            self.assertRegex(line, r"^[A-Z][A-Z0-9]  - ")
        self.assertEqual(lines[-2], "ER  - ")
        self.assertEqual(read_ris(text)["title"], "one two ER  - three four five")

    def test_csl_json_is_valid_and_keeps_the_quote_exactly(self):
        quote = "they are\n\nnot responsible"
        items = json.loads(citations.csl_json([self.cite(unsaved_claim(quote, reported_by="Dawn"))]))

        (item,) = items
        check_csl_item(self, item)
        self.assertEqual(item["title"], quote)
        self.assertEqual(item["author"], [{"literal": "Zabihullah Mujahid"}])
        self.assertEqual(item["issued"], {"date-parts": [[2022, 12, 23]]})
        self.assertEqual(item["accessed"], {"date-parts": [[2026, 12, 6]]})
        self.assertEqual((item["URL"], item["container-title"]), (URL, "Claim Tracker"))
        self.assertEqual(item["original-title"], "Taliban Mediates, Again")
        self.assertEqual(item["original-author"], [{"literal": "Doğacan Başaran"}, {"literal": "Shadi Khan Saif"}])
        self.assertEqual(item["original-publisher"], "The Diplomat")
        self.assertEqual(item["original-date"], {"date-parts": [[2022, 12]]})

    def test_csl_json_renders_with_citeproc(self):
        citation = self.cite(unsaved_claim())

        rendered = render_csl(json.loads(citations.csl_json([citation])), citation.key)

        self.assertIn("Zabihullah Mujahid (2022) they are not responsible", rendered)
        self.assertIn(URL, rendered)

    def test_unicode_and_special_characters_survive_every_format(self):
        for quote in (PERSIAN, URDU, PASHTO, ARABIC, AWKWARD):
            with self.subTest(quote=quote[:20]):
                claim = unsaved_claim(quote, claimant="ذبیح‌الله مجاهد", title=f"{{Title}} #1 {ARABIC}")
                citation = self.cite(claim)

                entry = read_bibtex(citations.bibtex([citation]))
                self.assertEqual(entry["title"], one_line(quote))
                self.assertEqual(entry["author"], "ذبیح‌الله مجاهد")
                self.assertEqual(entry["origtitle"], f"{{Title}} #1 {ARABIC}")
                self.assertEqual(read_ris(citations.ris([citation]))["title"], one_line(quote))
                item = json.loads(citations.csl_json([citation]))[0]
                self.assertEqual((item["title"], item["author"]), (quote, [{"literal": "ذبیح‌الله مجاهد"}]))
                self.assertIn(one_line(quote), citations.plain_text(citation))

    def test_bibtex_never_holds_an_unbalanced_brace(self):
        for text in ("}", "{", "}{", "a\\", "\\}", "{{{", "%}"):
            with self.subTest(text=text):
                bibtex = citations.bibtex([self.cite(unsaved_claim(text, title=text, claimant=f"X {text}"))])
                depth = 0
                for char in re.sub(r"\\[{}]", "", bibtex):
                    depth += {"{": 1, "}": -1}.get(char, 0)
                    self.assertGreaterEqual(depth, 0)
                self.assertEqual(depth, 0)
                self.assertEqual(read_bibtex(bibtex)["title"], text)

    def test_dates_keep_their_precision(self):
        cases = [
            (datetime.date(2022, 1, 1), DatePrecision.YEAR, "2022", [2022], "2022///", "2022"),
            (datetime.date(2022, 5, 1), DatePrecision.MONTH, "2022-05", [2022, 5], "2022/05//", "May 2022"),
            (datetime.date(2022, 5, 9), DatePrecision.DAY, "2022-05-09", [2022, 5, 9], "2022/05/09/", "9 May 2022"),
        ]
        for day, precision, iso, parts, ris_date, human in cases:
            with self.subTest(precision=precision):
                citation = self.cite(unsaved_claim(asserted_on=day, asserted_precision=precision))

                entry = read_bibtex(citations.bibtex([citation]))
                self.assertEqual(entry["date"], iso)
                self.assertEqual("month" in entry, precision != DatePrecision.YEAR)
                self.assertEqual(read_ris(citations.ris([citation]))["date"], ris_date)
                self.assertEqual(json.loads(citations.csl_json([citation]))[0]["issued"]["date-parts"], [parts])
                self.assertIn(f", {human}: “", citations.plain_text(citation))

    def test_an_unknown_date_is_left_out_and_said_in_words(self):
        claim = unsaved_claim(asserted_on=None, asserted_precision=DatePrecision.UNKNOWN, published_on=None)
        claim.source.published_precision = DatePrecision.UNKNOWN
        citation = self.cite(claim)

        self.assertNotIn("date", read_bibtex(citations.bibtex([citation])))
        self.assertNotIn("year", read_ris(citations.ris([citation])))
        item = json.loads(citations.csl_json([citation]))[0]
        self.assertNotIn("issued", item)
        self.assertNotIn("original-date", item)
        self.assertIn("date unknown", citations.plain_text(citation))
        self.assertIn("publication date unknown", citations.plain_text(citation))

    def test_the_plain_reference_names_source_claimant_quote_dates_and_address(self):
        citation = self.cite(unsaved_claim("they are not responsible.", reported_by="The Express Tribune"))

        self.assertEqual(
            citations.plain_text(citation),
            "Zabihullah Mujahid (as reported by The Express Tribune), 23 December 2022: “they are not responsible.” "
            "Quoted in “Taliban Mediates, Again”, The Diplomat, by Doğacan Başaran and Shadi Khan Saif, "
            f"published December 2022. Claim Tracker, {URL} (accessed 6 December 2026).",
        )

    def test_the_reference_marks_the_records_own_text_for_isolation(self):
        parts = citations.reference(self.cite(unsaved_claim(PERSIAN, claimant="ذبیح‌الله مجاهد")))

        isolated = [text for text, is_record_text in parts if is_record_text]
        self.assertIn(PERSIAN, isolated)
        self.assertIn("ذبیح‌الله مجاهد", isolated)
        self.assertNotIn(URL, isolated)

    def test_bidi_controls_are_stripped_from_names_but_never_from_quotes(self):
        quote = "\u202bquoted\u202c as written"
        citation = self.cite(unsaved_claim(quote, claimant="Government of \u202enatsikaP"))

        self.assertEqual(citation.authors, ("Government of natsikaP",))
        self.assertEqual(citation.title, quote)


class ContradictionFormatsTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.base = reverse("reader:contradiction_citation", args=[self.proposition.slug, "bib"])[: -len("bib")]

    def test_each_format_is_a_download_of_the_right_type(self):
        for extension, content_type in (
            ("bib", "application/x-bibtex; charset=utf-8"),
            ("ris", "application/x-research-info-systems; charset=utf-8"),
            ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
        ):
            with self.subTest(extension=extension):
                response = self.get(self.base + extension)

                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], content_type)
                self.assertEqual(
                    response["Content-Disposition"], f'attachment; filename="{self.proposition.slug}.{extension}"'
                )

    def test_it_cites_the_page_with_its_sides(self):
        permalink = f"http://testserver{self.proposition.get_absolute_url()}"
        today = timezone.localdate().isoformat()

        entry = read_bibtex(self.get(self.base + "bib").content.decode())
        record = read_ris(self.get(self.base + "ris").content.decode())
        (item,) = json.loads(self.get(self.base + "json").content)

        self.assertEqual(entry["title"], self.proposition.statement)
        self.assertEqual((entry["url"], entry["urldate"]), (permalink, today))
        self.assertEqual(entry["abstract"], "Supports: Government of Pakistan. Disputes: Afghan Taliban.")
        self.assertEqual(entry["note"], "Contradiction in Claim Tracker: 1 claim supports and 1 claim disputes.")
        self.assertEqual((record["title"], record["urls"]), (self.proposition.statement, [permalink]))
        check_csl_item(self, item)
        self.assertEqual(
            (item["title"], item["URL"], item["genre"]), (self.proposition.statement, permalink, "Contradiction")
        )
        reviewed = self.proposition.stances.order_by("-reviewed_at").first().reviewed_at.date()
        self.assertEqual(item["issued"], {"date-parts": [[reviewed.year, reviewed.month, reviewed.day]]})

    def test_it_names_no_claimant_of_an_unpublished_claim(self):
        self.unpublished_claims(self.proposition)

        for extension in ("bib", "ris", "json"):
            with self.subTest(extension=extension):
                self.assertNotContains(self.get(self.base + extension), "Hidden")

    def test_it_is_404_unless_the_proposition_is_public(self):
        self.proposition.return_to_draft(self.reviewer, reason="Rewording")

        for extension in ("bib", "ris", "json"):
            with self.subTest(extension=extension):
                self.assertEqual(self.get(self.base + extension).status_code, 404)

    def test_an_unknown_format_or_slug_is_404(self):
        self.assertEqual(self.get(self.base + "xml").status_code, 404)
        self.assertEqual(self.get("/contradictions/no-such-thing/cite.bib").status_code, 404)

    def test_query_count_does_not_grow_with_the_number_of_claims(self):
        small = self.contradiction_with(1, statement="Small")
        large = self.contradiction_with(10, statement="Large")

        for proposition in (small, large):
            with self.assertNumQueries(2):  # the proposition, its stances with their claimants
                self.get(reverse("reader:contradiction_citation", args=[proposition.slug, "ris"]))


class ClaimCitationTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.quoted_source = make_source(
            title="Pakistan {and} the TTP: 100% #1",
            text=f"The spokesman said: {PERSIAN}\n\nAnd then: they are not responsible.",
            outlet="The Express Tribune",
            authors="Shadi Khan Saif",
            published_on=datetime.date(2022, 12, 1),
            published_precision=DatePrecision.MONTH,
            url="https://tribune.example/ttp_talks?id=1&x=2",
            language="fa",
        )
        self.claim = self.publish_claim(
            self.quoted_source,
            PERSIAN,
            self.taliban,
            reported_by=self.pakistan,
            asserted_on=datetime.date(2022, 11, 30),
            asserted_precision=DatePrecision.DAY,
        )

    def url(self, extension: str, claim: Claim | None = None) -> str:
        return reverse("reader:claim_citation", args=[(claim or self.claim).pk, extension])

    def test_each_format_round_trips_to_the_record(self):
        permalink = f"http://testserver{self.claim.get_absolute_url()}"
        claim, source = self.claim, self.quoted_source

        entry = read_bibtex(self.get(self.url("bib")).content.decode())
        record = read_ris(self.get(self.url("ris")).content.decode())
        (item,) = json.loads(self.get(self.url("json")).content)

        self.assertEqual(
            (entry["author"], entry["title"], entry["date"], entry["url"]),
            (claim.claimant.name, claim.quote, "2022-11-30", permalink),
        )
        self.assertEqual(
            (entry["origtitle"], entry["origpublisher"], entry["origdate"]), (source.title, source.outlet, "2022-12")
        )
        self.assertIn(f"by {source.authors}, published December 2022", entry["note"])
        self.assertIn(f"as reported by {self.pakistan.name}", entry["note"])
        self.assertEqual(
            (record["authors"], record["title"], record["date"], record["urls"], record["language"]),
            ([claim.claimant.name], claim.quote, "2022/11/30/", [permalink], "fa"),
        )
        self.assertEqual(record["original_publication"], source.title)
        check_csl_item(self, item)
        self.assertEqual((item["title"], item["URL"], item["language"]), (claim.quote, permalink, "fa"))
        self.assertEqual(item["original-author"], [{"literal": "Shadi Khan Saif"}])
        self.assertIn(permalink, render_csl([item], item["id"]))

    def test_it_is_404_for_a_claim_readers_do_not_see(self):
        hidden = self.unpublished_claims(self.build_contradiction(statement="Another"))
        withdrawn = self.publish_claim(self.quoted_source, "they are not responsible", self.pakistan)
        withdrawn.return_to_draft(self.reviewer, reason="Misattributed")

        for claim in [*hidden.values(), withdrawn]:
            for extension in ("bib", "ris", "json"):
                with self.subTest(state=claim.state, extension=extension):
                    self.assertEqual(self.get(self.url(extension, claim)).status_code, 404)

    def test_an_unknown_claim_is_404(self):
        self.assertEqual(self.get("/claims/999999/cite.bib").status_code, 404)
        self.assertEqual(self.get(f"/claims/{10**20}/cite.bib").status_code, 404)

    def test_query_count_is_one(self):
        with self.assertNumQueries(1):  # the claim with its source, claimant and reporter
            self.assertEqual(self.get(self.url("bib")).status_code, 200)


class CiteOnPagesTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.claims = list(Claim.objects.public())

    def test_the_contradiction_page_cites_itself_and_each_claim(self):
        response = self.get(self.proposition.get_absolute_url())

        for extension in ("bib", "ris", "json"):
            self.assertContains(
                response, reverse("reader:contradiction_citation", args=[self.proposition.slug, extension])
            )
            for claim in self.claims:
                self.assertContains(response, reverse("reader:claim_citation", args=[claim.pk, extension]))
        self.assertContains(response, '<details class="cite">', count=1 + len(self.claims))
        self.assertContains(
            response, f"“<bdi>{self.proposition.statement}</bdi>” Contradiction, Claim Tracker, last reviewed"
        )
        self.assertContains(response, f"http://testserver/sources/{self.source.pk}/#claim-{self.claims[0].pk}.")

    def test_the_source_page_cites_each_claim_with_this_hosts_address(self):
        url = self.source.get_absolute_url()

        first = self.client.get(url, HTTP_HOST="localhost")
        second = self.client.get(url, HTTP_HOST="127.0.0.1")

        for claim in self.claims:
            self.assertContains(first, reverse("reader:claim_citation", args=[claim.pk, "ris"]))
            self.assertContains(first, f"http://localhost/sources/{self.source.pk}/#claim-{claim.pk}.")
            self.assertContains(second, f"http://127.0.0.1/sources/{self.source.pk}/#claim-{claim.pk}.")
            self.assertNotContains(second, "http://localhost/")

    def test_proposition_with_no_public_claims_still_cites_itself(self):
        proposition = self.publish_proposition("Nobody has said so yet.")

        response = self.get(proposition.get_absolute_url())

        self.assertContains(response, "Proposition, Claim Tracker")
        self.assertEqual(Proposition.objects.get(pk=proposition.pk).supports_count, 0)


class QuestionCitationTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.question = approve(
            Question.objects.create(text="When was the ceasefire agreed?", value_type="date", created_by=self.analyst),
            self.reviewer,
        )
        for quote, claimant, value in (
            ("the Taliban is providing shelter for TTP members", self.pakistan, "2022-06"),
            ("they do not provide support to TTP’s operations", self.taliban, "2022-05"),
        ):
            claim = self.publish_claim(self.source, quote, claimant)
            approve(
                Answer.objects.create(question=self.question, claim=claim, value_text=value, created_by=self.analyst),
                self.reviewer,
            )
        self.base = reverse("reader:question_citation", args=[self.question.slug, "bib"])[: -len("bib")]

    def test_it_cites_the_page_with_who_answered(self):
        entry = read_bibtex(self.get(self.base + "bib").content.decode())
        record = read_ris(self.get(self.base + "ris").content.decode())
        (item,) = json.loads(self.get(self.base + "json").content)

        permalink = f"http://testserver{self.question.get_absolute_url()}"
        self.assertEqual((entry["title"], entry["url"]), (self.question.text, permalink))
        self.assertEqual(entry["abstract"], "Answered by Government of Pakistan; Afghan Taliban.")
        self.assertEqual((record["title"], record["urls"]), (self.question.text, [permalink]))
        check_csl_item(self, item)
        self.assertEqual(item["note"], "Disputed fact in Claim Tracker: 2 answers.")

    def test_the_question_page_offers_it(self):
        response = self.get(self.question.get_absolute_url())

        self.assertContains(response, self.base + "ris")
        self.assertContains(response, f"“<bdi>{self.question.text}</bdi>” Disputed fact, Claim Tracker, last reviewed")

    def test_it_is_404_unless_the_question_is_public(self):
        self.question.return_to_draft(self.reviewer, reason="Rewording")

        self.assertEqual(self.get(self.base + "json").status_code, 404)

    def test_it_names_no_claimant_of_an_unpublished_answer(self):
        hidden = Actor.objects.create(name="Hidden answerer", state="approved")
        claim = self.publish_claim(self.source, "Its chief spokesman said", hidden)
        Answer.objects.create(question=self.question, claim=claim, value_text="2022-07", created_by=self.analyst)

        self.assertNotContains(self.get(self.base + "bib"), "Hidden")

    def test_query_count_is_two(self):
        with self.assertNumQueries(2):  # the question, its answers' claimants
            self.get(self.base + "ris")
