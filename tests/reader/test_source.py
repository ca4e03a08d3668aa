from html.parser import HTMLParser

from django.core.management import call_command
from django.urls import reverse

from claims.models import Actor
from reader.templatetags.source_text import highlighted_paragraphs
from sources.models import Source
from tests.base import make_source
from tests.reader.builders import ReaderTestCase, numbered_quote, numbered_text


class TextContent(HTMLParser):
    """The text content (as the DOM's ``textContent``) of the first element with ``class_name``."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, class_name: str):
        super().__init__(convert_charrefs=True)
        self.class_name, self.depth, self.done, self.parts = class_name, 0, False, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in self.VOID
        elif not self.done and self.class_name in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1
            self.done = self.done or not self.depth

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str, class_name: str = "source-text") -> str:
        parser = cls(class_name)
        parser.feed(html)
        parser.close()
        return "".join(parser.parts)


class SourcePageTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = self.source.get_absolute_url()

    def test_it_shows_the_text_with_approved_claims_highlighted_and_anchored(self):
        claim = self.proposition.stances.get(side="supports").claim

        response = self.get(self.url)

        self.assertContains(
            response,
            f'<mark class="hl hl--1" id="claim-{claim.pk}">the Taliban is providing shelter for TTP members</mark>',
        )

    def test_each_highlight_links_to_its_contradiction(self):
        claim = self.proposition.stances.get(side="supports").claim

        response = self.get(self.url)

        self.assertContains(
            response, f'<a class="claim-ref" href="{self.proposition.get_absolute_url()}#claim-{claim.pk}"'
        )

    def test_it_lists_the_claims_beside_the_text(self):
        response = self.get(self.url)

        self.assertContains(response, "Claims in this text (2)")
        self.assertContains(response, f'href="{self.proposition.get_absolute_url()}#claim-')

    def test_it_sets_language_and_direction_for_right_to_left_texts(self):
        source = make_source(text="طالبان می‌گویند که هیچ حمایتی از تی‌تی‌پی نمی‌کنند.", title="گزارش", language="fa")
        self.publish_claim(source, "هیچ حمایتی از تی‌تی‌پی نمی‌کنند", self.taliban)

        response = self.get(source.get_absolute_url())

        self.assertContains(response, '<div class="source-text" lang="fa" dir="rtl">')
        self.assertContains(response, '<h1 lang="fa" dir="rtl"><bdi>گزارش</bdi></h1>')

    def test_it_escapes_the_source_text(self):
        source = make_source(text="A <script>alert(1)</script> tag and a quote & more.", title="Markup")
        self.publish_claim(source, "a quote & more", self.taliban)

        response = self.get(source.get_absolute_url())

        self.assertContains(response, "A &lt;script&gt;alert(1)&lt;/script&gt; tag and ")
        self.assertContains(response, "a quote &amp; more</mark>")

    def test_it_is_404_for_a_source_without_approved_claims(self):
        unreviewed = make_source(text="Nothing approved here.", title="Unreviewed")
        self.assertEqual(self.get(unreviewed.get_absolute_url()).status_code, 404)
        self.assertEqual(self.get(reverse("reader:source", args=[99999])).status_code, 404)

    def test_it_never_highlights_unapproved_claims(self):
        source = make_source(
            text="Draft words SECRET-draft here.\n\nPending words SECRET-pending here.\n\nRejected words SECRET-rejected here.\n\nApproved words.",
            title="Mixed source",
        )
        self.publish_claim(source, "Approved words", self.pakistan)
        self.unpublished_claims(self.proposition, source=source)

        response = self.get(source.get_absolute_url())

        self.assertContains(response, '<mark class="hl', count=1)
        self.assertNotContains(response, "Hidden")

    def test_query_count_does_not_grow_with_the_number_of_claims(self):
        small = self.contradiction_with(1, statement="Small")
        large = self.contradiction_with(10, statement="Large")

        for proposition in (small, large):
            url = proposition.stances.first().claim.source.get_absolute_url()
            with self.assertNumQueries(6):  # source, its captures, claims, their stances and translations, summaries
                self.get(url)


class OverlappingHighlightTest(ReaderTestCase):
    """Claims may overlap or nest; the text is cut at every boundary and each piece marked once."""

    def claims(self, text, *quotes):
        source = make_source(text=text, title="Overlaps")
        actor = Actor.objects.create(state="approved", name="Speaker")
        return [self.publish_claim(source, quote, actor) for quote in quotes]

    def test_overlapping_claims_are_cut_into_marked_pieces(self):
        text = "alpha beta gamma delta"
        first, second = self.claims(text, "alpha beta gamma", "beta gamma delta")

        html = highlighted_paragraphs(text, [first, second])

        self.assertEqual(
            html,
            f'<p><mark class="hl hl--1" id="claim-{first.pk}">alpha </mark>'
            f'<mark class="hl hl--2" id="claim-{second.pk}">beta gamma</mark>'
            f'<a class="claim-ref" href="#note-claim-{first.pk}" data-number="1" aria-label="Claim 1 by Speaker"></a>'
            f'<mark class="hl hl--1"> delta</mark>'
            f'<a class="claim-ref" href="#note-claim-{second.pk}" data-number="2" aria-label="Claim 2 by Speaker"></a></p>',
        )

    def test_a_claim_nested_in_another_is_marked_deeper(self):
        text = "one two three four five"
        outer, inner = self.claims(text, "one two three four five", "three")

        html = highlighted_paragraphs(text, [outer, inner])

        self.assertIn(f'<mark class="hl hl--2" id="claim-{inner.pk}">three</mark>', html)
        self.assertEqual(html.count("<mark"), 3)
        self.assertIn(f'id="claim-{outer.pk}">one two </mark>', html)

    def test_two_claims_starting_at_the_same_offset_both_get_anchors(self):
        text = "same start here and more"
        longer, shorter = self.claims(text, "same start here and", "same start")

        html = highlighted_paragraphs(text, [longer, shorter])

        self.assertIn(f'id="claim-{longer.pk}"', html)
        self.assertIn(f'<span class="claim-anchor" id="claim-{shorter.pk}"></span>', html)

    def test_a_claim_across_paragraphs_is_marked_in_each(self):
        text = numbered_text(2)
        [claim] = self.claims(text, f"{numbered_quote(1)}.\n\nParagraph 2")

        html = highlighted_paragraphs(text, [claim])

        self.assertEqual(html.count("<p>"), 2)
        self.assertEqual(html.count("<mark"), 2)
        self.assertEqual(html.count(f'id="claim-{claim.pk}"'), 1)


class SourceTextContentTest(ReaderTestCase):
    """The text element's text content is the source text exactly, so W3C selectors resolve in the page."""

    def test_it_is_the_source_text_with_breaks_markup_and_overlapping_claims(self):
        text = "First <line> & one\nsecond line.\n\nA “quoted” paragraph\nwith a break.\n\nLast words."
        source = make_source(text=text, title="Breaks")
        proposition = self.publish_proposition("Breaks are kept.")
        self.publish_claim(source, "First <line>", self.pakistan, proposition)
        self.publish_claim(source, "one\nsecond line.\n\nA “quoted”", self.taliban, proposition, side="disputes")
        self.publish_claim(source, "quoted", self.pakistan)
        self.publish_claim(source, "Last words.", self.taliban)

        html = self.get(source.get_absolute_url()).content.decode()

        self.assertEqual(TextContent.of(html), text)
        self.assertNotIn("<br>", html)

    def test_it_is_the_source_text_on_every_seeded_source_page(self):
        call_command("load_seeds", verbosity=0)
        sources = list(Source.objects.public())
        self.assertEqual(len(sources), 2)

        for source in sources:
            with self.subTest(source=source.title):
                html = self.get(source.get_absolute_url()).content.decode()
                self.assertEqual(TextContent.of(html), source.text)

    def test_claim_references_are_labelled_links_without_text(self):
        proposition = self.build_contradiction()
        claim = proposition.stances.get(side="supports").claim

        html = self.get(claim.source.get_absolute_url()).content.decode()

        self.assertIn(
            f'<a class="claim-ref" href="{proposition.get_absolute_url()}#claim-{claim.pk}" data-number="1" '
            f'aria-label="Claim 1 by {claim.claimant.name}, on “{proposition.statement}”"></a>',
            html,
        )
