"""Property-based tests for the forms analysts fill in.

Whatever an analyst (or a forged request) sends, a form either validates into
data the models accept or reports errors: it never raises, and what it
validates is exactly what the rules say.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from claims.models import Actor
from desk.forms import NewClaimForm, SourceImportForm
from sources.anchoring import anchor_quote
from sources.dates import DatePrecision, iso_partial_date, parse_partial_date
from sources.models import Source
from sources.text import normalize_text
from tests.base import SAMPLE_TEXT

# Text as people and forged requests send it: any script, control characters, NUL, curly quotes.
ANY_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("\x00\r\n\t “”’—\u00a0\u200c"),
    max_size=80,
)
DATE_LIKE = st.one_of(
    ANY_TEXT,
    st.from_regex(r"\A\d{1,5}(-\d{1,3}(-\d{1,3})?)?\Z"),
    st.dates().map(lambda day: day.isoformat()),
)
FORM_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(DATE_LIKE)
@settings(max_examples=300, deadline=None)
def test_partial_dates_parse_or_refuse_and_round_trip(value):
    try:
        date, precision = parse_partial_date(value)
    except ValueError as error:
        assert str(error)  # a message for the analyst
        return
    assert (date is None) == (precision == DatePrecision.UNKNOWN)
    assert parse_partial_date(iso_partial_date(date, precision)) == (date, precision)
    if date is not None:
        assert isinstance(date, datetime.date)


class SourceImportFormProperties(TestCase):
    @FORM_SETTINGS
    @given(title=ANY_TEXT, url=ANY_TEXT, published=DATE_LIKE, language=ANY_TEXT, text=ANY_TEXT, authors=ANY_TEXT)
    def test_any_input_validates_or_reports_errors(self, title, url, published, language, text, authors):
        data = {"title": title, "url": url, "published": published, "language": language, "text": text}
        form = SourceImportForm(data={**data, "authors": authors}, max_bytes=2048)

        if form.is_valid():
            cleaned = form.cleaned_data
            assert cleaned["text"] and cleaned["text"] == normalize_text(cleaned["text"])
            assert "\x00" not in cleaned["text"]
            assert cleaned["published"] == parse_partial_date(published)
        else:
            assert all(messages for messages in form.errors.values())

    @FORM_SETTINGS
    @given(payload=st.binary(max_size=4096), name=st.sampled_from(["a.txt", "a.md", "a.html", "a.pdf", "a"]))
    def test_any_upload_validates_or_reports_errors(self, payload, name):
        form = SourceImportForm(
            data={"title": "Uploaded", "language": "en"},
            files={"file": SimpleUploadedFile(name, payload)},
            max_bytes=2048,
        )

        if form.is_valid():
            text = form.cleaned_data["text"]
            assert text and text == normalize_text(text)
            assert len(payload) <= 2048
        else:
            assert form.errors


class NewClaimFormProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.source = Source.objects.create(state="approved", title="Sample", text=SAMPLE_TEXT)
        Actor.objects.create(state="approved", name="Government of Pakistan", kind="government")

    def claim_data(self, **fields):
        return {"claimant": "Government of Pakistan", "paraphrase": "A paraphrase.", "asserted": "", **fields}

    @FORM_SETTINGS
    @given(quote=ANY_TEXT, start=st.integers(-5, 10**6) | ANY_TEXT, prefix=ANY_TEXT, asserted=DATE_LIKE)
    def test_forged_quotes_and_anchors_validate_only_to_the_source_text(self, quote, start, prefix, asserted):
        data = self.claim_data(quote=quote, start=start, prefix=prefix, asserted=asserted)
        form = NewClaimForm(data=data, source=self.source)

        if form.is_valid():
            anchor = form.anchor
            assert self.source.text[anchor.start : anchor.end] == anchor.exact
        else:
            assert all(messages for messages in form.errors.values())

    @FORM_SETTINGS
    @given(
        bounds=st.tuples(st.integers(0, len(SAMPLE_TEXT)), st.integers(0, len(SAMPLE_TEXT))).filter(
            lambda pair: pair[0] < pair[1]
        )
    )
    def test_any_passage_of_the_source_is_accepted_where_it_is(self, bounds):
        start, end = bounds
        quote = SAMPLE_TEXT[start:end]
        form = NewClaimForm(data=self.claim_data(quote=quote, start=start), source=self.source)

        if quote.strip():
            assert form.is_valid(), form.errors
            expected = anchor_quote(SAMPLE_TEXT, quote, position=start)
            assert (form.anchor.start, form.anchor.end) == (expected.start, expected.end)
            assert form.anchor.exact == quote.strip()
        else:
            assert not form.is_valid()
