"""Markdown cannot hold a worker: its fields have a length limit that every path enforces,
and rendering hostile text at that limit costs about what rendering prose does."""

import re
import time

from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.urls import reverse

from claims import markup
from claims.markup import MARKDOWN_MAX_LENGTH, render_markdown, validate_markdown_length
from claims.models import Actor, Proposition, Stance
from tests.base import BaseTestCase
from tests.desk.base import HTMX, DeskTestCase

N = MARKDOWN_MAX_LENGTH


def fill(pattern: str, length: int = N) -> str:
    return (pattern * (length // len(pattern) + 1))[:length]


def nested_list(depth: int) -> str:
    return "".join("    " * level + "- x\n" for level in range(depth))


# What made Python-Markdown quadratic or overflow its stack (issue 11), and the
# other constructs that put pressure on a Markdown parser or on html5ever's tree
# builder, each filling the whole limit.
HOSTILE = {
    "brackets": "[" * (N // 2) + "]" * (N // 2),
    "unclosed links": fill("[a]("),
    "unclosed brackets": fill("[a"),
    "unclosed images": fill("![a]("),
    "nested parentheses": fill("[a](("),
    "unclosed titles": fill('[a](b "'),
    "list nested 250 deep": nested_list(250)[: N - 1] + "\n",
    "list nested on one line": fill("- ")[:-1] + "x",
    "ordered list nested on one line": fill("1. ")[:-1] + "x",
    "blockquote nested on one line": fill(">"),
    "blockquote and list alternating": fill("> - "),
    "indented nesting": "".join("  " * level + "- > x\n" for level in range(90))[:N],
    "emphasis run": fill("*"),
    "emphasis pairs": fill("*a"),
    "nested emphasis": fill("*_")[: N // 2] + fill("_*")[: N // 2],
    "strong emphasis": fill("***a"),
    "backticks": fill("`"),
    "code spans": fill("`a"),
    "angle brackets": fill("<"),
    "unclosed tags": fill("<a"),
    "unclosed autolinks": fill("<http://"),
    "raw nested blockquotes": fill("<blockquote>\n"),
    "raw nested lists": fill("<ul>\n<li>\n"),
    "raw divs": fill("<div>\n"),
    "entities": fill("&#"),
    "thematic breaks": fill("-\n"),
    "setext headings": fill("a\n=\n"),
    "mixed": fill("[*_`<>(!\\"),
}

PROSE = fill(
    "The Taliban said that *no* support for the TTP came from Afghanistan, and the "
    "[ministry](https://example.org/statement) called that `untrue`; talks went on.\n\n"
)


def render_seconds(text: str) -> float:
    """The least thread CPU time of a few uncached renders: steady when other processes load the machine."""
    best = float("inf")
    for _ in range(3):
        markup._render.cache_clear()
        start = time.thread_time()
        render_markdown(text)
        best = min(best, time.thread_time() - start)
    return best


def markdown_fields():
    """Every model field rendered as Markdown: by render_markdown_field's convention, those
    with a ``<name>_html`` sibling."""
    for model in apps.get_models():
        names = {field.name for field in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if f"{field.name}_html" in names:
                yield field


class RenderingCostTests(SimpleTestCase):
    # Python-Markdown took hundreds to tens of thousands of times as long as prose on
    # these (22 s for 14 KB of brackets). cmark with the nesting cap stays under 16
    # times (raw nested lists, which nh3 parses); 30 leaves room for a busy machine.
    RATIO = 30

    def test_hostile_input_at_the_limit_renders_in_about_the_time_of_prose(self):
        prose = max(render_seconds(PROSE), 1e-4)
        slow = {}
        for name, text in HOSTILE.items():
            self.assertLessEqual(len(text), N, name)
            ratio = render_seconds(text) / prose
            if ratio > self.RATIO:
                slow[name] = round(ratio)
        self.assertEqual(slow, {})

    def test_hostile_input_never_raises(self):
        for name, text in HOSTILE.items():
            with self.subTest(name):
                self.assertIsInstance(render_markdown(text), str)

    def test_deep_nesting_is_capped(self):
        html = render_markdown(fill(">"))
        self.assertEqual(html.count("<blockquote>"), markup.MAX_NESTING)

    def test_nesting_within_the_cap_is_kept(self):
        html = render_markdown("> > > deep\n\n- a\n    - b\n        - c\n")
        self.assertEqual((html.count("<blockquote>"), html.count("<ul>")), (3, 3))


class LengthLimitTests(SimpleTestCase):
    def test_text_at_the_limit_renders(self):
        self.assertTrue(render_markdown("a" * N))

    def test_text_over_the_limit_is_refused_with_a_message_that_says_so(self):
        with self.assertRaisesMessage(ValidationError, "at most 10,000 characters; this one has 10,001"):
            render_markdown("a" * (N + 1))

    def test_a_line_break_sent_as_crlf_counts_as_one_character(self):
        validate_markdown_length("a\r\n" * (N // 2))

    def test_every_markdown_field_is_validated_by_the_model(self):
        fields = {f"{field.model.__name__}.{field.name}" for field in markdown_fields()}
        self.assertLessEqual({"Actor.description", "Proposition.description", "Stance.note"}, fields)
        for field in markdown_fields():
            self.assertIn(validate_markdown_length, field.validators, field)


class SanitizedLinkTests(SimpleTestCase):
    def test_a_link_whose_address_was_removed_is_its_text(self):
        html = render_markdown("See [the statement](javascript:alert(1)) and [this](vbscript:x).")
        self.assertEqual(html, "<p>See the statement and this.</p>")

    def test_a_raw_link_without_an_address_is_its_text(self):
        self.assertEqual(render_markdown('<a title="t">bare</a> <a href="data:x">data</a>'), "<p>bare data</p>")

    def test_an_empty_address_is_no_address(self):
        self.assertEqual(render_markdown("[here]()"), "<p>here</p>")

    def test_web_links_stay_links(self):
        html = render_markdown("[web](https://example.org) [mail](mailto:a@example.org)")
        self.assertEqual(html.count("<a href="), 2)


TOO_LONG = "a" * (N + 1)
MESSAGE = "at most 10,000 characters"


class ModelLimitTests(BaseTestCase):
    def test_saving_too_long_a_description_is_refused(self):
        with self.assertRaisesMessage(ValidationError, MESSAGE):
            Proposition.objects.create(statement="S", description=TOO_LONG)
        self.assertFalse(Proposition.objects.filter(statement="S").exists())

    def test_full_clean_names_the_field(self):
        actor = Actor(name="A", kind="person", description=TOO_LONG)
        with self.assertRaises(ValidationError) as caught:
            actor.full_clean()
        self.assertIn("description", caught.exception.message_dict)


class DeskLimitTests(DeskTestCase):
    def setUp(self):
        self.login()

    def test_a_new_proposition_with_too_long_a_description_is_refused(self):
        response = self.client.post(
            reverse("desk:proposition_new"), {"statement": "Kabul controls the TTP.", "description": TOO_LONG}
        )
        self.assertContains(response, MESSAGE, status_code=422)
        self.assertFalse(Proposition.objects.filter(statement="Kabul controls the TTP.").exists())

    def test_an_edited_description_too_long_is_refused_and_nothing_changes(self):
        url = reverse("desk:proposition_edit", args=[self.proposition.slug])
        data = {"statement": "Changed.", "description": TOO_LONG, "version": 1}
        response = self.client.post(url, data, **HTMX)
        self.assertContains(response, MESSAGE, status_code=422)
        self.proposition.refresh_from_db()
        self.assertEqual(
            (self.proposition.statement, self.proposition.version), ("The Afghan Taliban shelter the TTP.", 1)
        )

    def test_too_long_a_stance_note_is_refused_and_nothing_changes(self):
        url = reverse("desk:stance_edit", args=[self.stance.pk])
        data = {"paraphrase": "Changed.", "claim_version": 1, "note": TOO_LONG, "stance_version": 1}
        response = self.client.post(url, data, **HTMX)
        self.assertContains(response, MESSAGE, status_code=422)
        self.stance.refresh_from_db()
        self.assertEqual((self.stance.note, self.stance.version), ("", 1))

    def test_the_form_states_the_limit_and_never_cuts_a_paste(self):
        response = self.client.get(reverse("desk:proposition_edit", args=[self.proposition.slug]), **HTMX)
        self.assertContains(response, f"Markdown, at most {N:,} characters.")
        textarea = re.search(r'<textarea[^>]*name="description"[^>]*>', response.content.decode())[0]
        self.assertNotIn("maxlength", textarea)

    def test_too_long_a_text_stays_in_the_form(self):
        url = reverse("desk:proposition_edit", args=[self.proposition.slug])
        data = {"statement": self.proposition.statement, "description": TOO_LONG, "version": self.proposition.version}
        response = self.client.post(url, data, **HTMX)
        self.assertContains(response, TOO_LONG, status_code=422)


class AdminLimitTests(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.analyst)

    def test_a_new_actor_with_too_long_a_description_is_refused(self):
        data = {"name": "Zabihullah Mujahid", "slug": "", "kind": "person", "aliases": "", "description": TOO_LONG}
        response = self.client.post(reverse("admin:claims_actor_add"), data)
        self.assertContains(response, MESSAGE)
        self.assertFalse(Actor.objects.filter(name="Zabihullah Mujahid").exists())

    def test_a_new_proposition_with_too_long_a_description_is_refused(self):
        data = {"statement": "Kabul controls the TTP.", "slug": "", "description": TOO_LONG}
        response = self.client.post(reverse("admin:claims_proposition_add"), data)
        self.assertContains(response, MESSAGE)
        self.assertFalse(Proposition.objects.exists())

    def test_an_edited_stance_note_too_long_is_refused(self):
        from tests.base import make_claim

        claim = make_claim(self.source, "the Taliban is providing shelter for TTP members", self.pakistan, self.analyst)
        proposition = Proposition.objects.create(statement="P", created_by=self.analyst)
        stance = Stance.objects.create(claim=claim, proposition=proposition, side="supports", created_by=self.analyst)
        url = reverse("admin:claims_stance_change", args=[stance.pk])
        form = self.client.get(url).context["adminform"].form
        data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
        response = self.client.post(url, {**data, "note": TOO_LONG})
        self.assertContains(response, MESSAGE)
        stance.refresh_from_db()
        self.assertEqual(stance.note, "")
