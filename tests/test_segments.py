"""Cutting a text into paragraphs and at claim boundaries (sources.segments)."""

from dataclasses import dataclass
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from sources.segments import (
    PARAGRAPH_BREAK,
    InParagraph,
    Run,
    cut_at_boundaries,
    paragraph_spans,
    paragraphs_around,
    passage_in_paragraph,
)
from sources.text import normalize_text


@dataclass(frozen=True)
class Span:
    start: int
    end: int


TEXT = "First paragraph.\n\nSecond one, with a line\nbreak.\n\nThird."

# Texts as they are stored: normalized, so a paragraph break is exactly one blank line.
stored_texts = st.text(alphabet="ab .\n\u0627\u06cc", max_size=120).map(normalize_text)


@st.composite
def text_and_spans(draw):
    text = draw(st.text(alphabet="ab\n", max_size=60))
    offsets = st.integers(min_value=-5, max_value=len(text) + 5)
    spans = draw(st.lists(st.builds(Span, offsets, offsets), max_size=8))
    start = draw(st.integers(min_value=0, max_value=len(text)))
    end = draw(st.integers(min_value=start, max_value=len(text)))
    return text, spans, start, end


class TestParagraphSpans:
    def test_it_finds_each_paragraph_between_blank_lines(self):
        assert [TEXT[a:b] for a, b in paragraph_spans(TEXT)] == [
            "First paragraph.",
            "Second one, with a line\nbreak.",
            "Third.",
        ]

    def test_a_text_without_breaks_is_one_paragraph(self):
        assert paragraph_spans("One line") == [(0, 8)]

    def test_an_empty_text_is_one_empty_paragraph(self):
        assert paragraph_spans("") == [(0, 0)]

    @given(st.text(alphabet="ab\n", max_size=80))
    def test_the_spans_and_the_breaks_between_them_cover_the_text(self, text):
        spans = paragraph_spans(text)
        assert spans[0][0] == 0 and spans[-1][1] == len(text)
        for (_, end), (start, _) in pairwise(spans):
            assert text[end:start] == PARAGRAPH_BREAK
        assert PARAGRAPH_BREAK.join(text[a:b] for a, b in spans) == text


class TestParagraphsAround:
    def test_a_passage_brings_its_paragraph(self):
        start = TEXT.index("with a line")
        assert passage_in_paragraph(TEXT, start, start + 11) == InParagraph("Second one, ", "with a line", "\nbreak.")

    def test_a_passage_over_a_break_brings_both_paragraphs(self):
        start, end = TEXT.index("paragraph."), TEXT.index(" one")
        assert paragraphs_around(TEXT, start, end) == (0, TEXT.index("\n\nThird"))

    def test_a_passage_in_the_first_or_last_paragraph_reaches_the_text_edges(self):
        assert paragraphs_around(TEXT, 0, 5) == (0, len("First paragraph."))
        assert paragraphs_around(TEXT, len(TEXT) - 3, len(TEXT)) == (TEXT.index("Third."), len(TEXT))

    @given(stored_texts, st.data())
    def test_a_passage_inside_one_paragraph_brings_exactly_that_paragraph(self, text, data):
        paragraph_start, paragraph_end = data.draw(st.sampled_from(paragraph_spans(text)))
        start = data.draw(st.integers(min_value=paragraph_start, max_value=paragraph_end))
        end = data.draw(st.integers(min_value=start, max_value=paragraph_end))
        assert paragraphs_around(text, start, end) == (paragraph_start, paragraph_end)
        before, passage, after = passage_in_paragraph(text, start, end)
        assert before + passage + after == text[paragraph_start:paragraph_end]


class TestCutAtBoundaries:
    def test_it_cuts_at_every_start_and_end_inside_the_range(self):
        outer, inner = Span(2, 9), Span(4, 6)
        assert cut_at_boundaries(0, 10, [outer, inner]) == [
            Run(0, 2, ()),
            Run(2, 4, (outer,)),
            Run(4, 6, (outer, inner)),
            Run(6, 9, (outer,)),
            Run(9, 10, ()),
        ]

    def test_spans_reaching_outside_the_range_cover_the_part_inside(self):
        across = Span(3, 20)
        assert cut_at_boundaries(5, 10, [across, Span(12, 15)]) == [Run(5, 10, (across,))]

    def test_an_empty_range_has_no_runs(self):
        assert cut_at_boundaries(4, 4, [Span(1, 8)]) == []

    @given(text_and_spans())
    def test_the_runs_concatenate_back_to_the_text_exactly(self, case):
        text, spans, start, end = case
        runs = cut_at_boundaries(start, end, spans)
        assert "".join(text[run.start : run.end] for run in runs) == text[start:end]
        assert all(run.start < run.end for run in runs)
        assert all(a.end == b.start for a, b in pairwise(runs))

    @given(text_and_spans())
    def test_each_run_is_covered_whole_by_exactly_the_spans_overlapping_it(self, case):
        _, spans, start, end = case
        for run in cut_at_boundaries(start, end, spans):
            overlapping = [span for span in spans if span.start < run.end and span.end > run.start]
            assert list(run.covering) == overlapping
            assert all(span.start <= run.start and run.end <= span.end for span in run.covering)
