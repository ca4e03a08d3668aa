"""A Pashto quote with its reviewed English translation under it, as a reader sees the contradiction page."""

from playwright.sync_api import expect

from claims.models import Actor, Proposition, Stance
from claims.roles import ANALYSTS, REVIEWERS
from claims.translations import Translation
from sources.models import Source
from tests.base import approve, make_claim, make_user

PASHTO_TEXT = "ذبیح الله مجاهد وویل چې د پاکستان د کورني امنیت مسؤلیت په دوی نه دی.\n\nنور خبرې وروسته."
PASHTO_QUOTE = "د پاکستان د کورني امنیت مسؤلیت په دوی نه دی"
ENGLISH = "the responsibility for the internal security of Pakistan is not theirs"
URDU = "پاکستان کی اندرونی سلامتی کی ذمہ داری ان پر نہیں ہے"


def build():
    """A contradiction whose disputing claim is a Pashto quote, translated into English and Urdu (both approved)."""
    author, reviewer = make_user("alice", ANALYSTS), make_user("rita", REVIEWERS)
    english = Source.objects.create(
        title="Kabul report", text="Pakistan says the Taliban shelter the TTP.", state="approved"
    )
    pashto = Source.objects.create(title="د کابل راپور", text=PASHTO_TEXT, language="ps", state="approved")
    pakistan = Actor.objects.create(name="Government of Pakistan", state="approved")
    mujahid = Actor.objects.create(name="Zabihullah Mujahid", state="approved")
    proposition = approve(
        Proposition.objects.create(statement="Kabul answers for the TTP.", created_by=author), reviewer
    )
    for source, quote, actor, side in (
        (english, "the Taliban shelter the TTP", pakistan, "supports"),
        (pashto, PASHTO_QUOTE, mujahid, "disputes"),
    ):
        claim = approve(make_claim(source, quote, actor, author), reviewer)
        approve(Stance.objects.create(claim=claim, proposition=proposition, side=side, created_by=author), reviewer)
    for language, text in (("en", ENGLISH), ("ur", URDU)):
        translation = Translation.record(
            claim=claim, language=language, text=text, translator="Desk translation team", created_by=author
        )
        approve(translation, reviewer)
    return proposition


def test_a_pashto_quote_shows_its_approved_english_translation_under_it(live_server, page, transactional_db):
    proposition = build()
    page.goto(live_server.url + proposition.get_absolute_url())

    quote = page.locator("blockquote.claim__quote", has_text=PASHTO_QUOTE)
    expect(quote).to_have_attribute("lang", "ps")
    expect(quote).to_have_attribute("dir", "rtl")
    claim = page.locator("article.claim", has=quote)
    # Without a preference the translations are folded; the reader opens them.
    claim.get_by_text("Translations (2)").click()
    english = claim.locator("blockquote.translation__text", has_text=ENGLISH)
    expect(english).to_be_visible()
    expect(english).to_have_attribute("lang", "en")
    expect(english).to_have_attribute("dir", "ltr")
    figure = claim.locator("figure.translation", has_text=ENGLISH)
    expect(figure).to_contain_text("Translation from Pashto, human, reviewed")
    expect(figure).to_contain_text("Desk translation team")
    # The original comes first, and stays in its place.
    assert quote.evaluate("(node, other) => !!(node.compareDocumentPosition(other) & 4)", english.element_handle())

    # The reader prefers English: it is shown open, first, the Urdu one folded below it.
    page.get_by_label("Show translations into").select_option("en")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("Show translations into")).to_have_value("en")
    claim = page.locator("article.claim", has=page.locator("blockquote.claim__quote", has_text=PASHTO_QUOTE))
    expect(claim.locator("blockquote.translation__text", has_text=ENGLISH)).to_be_visible()
    expect(claim.get_by_text("Another translation (1)")).to_be_visible()
    expect(claim.locator("blockquote.translation__text", has_text=URDU)).to_be_hidden()
    assert page.url == live_server.url + proposition.get_absolute_url()
    assert page.csp_errors == []
