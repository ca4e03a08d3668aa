"""Citations of public records: BibTeX, RIS and CSL-JSON files, and a plain-text reference.

A claim is cited as what this site publishes: the claimant's words, with the
claimant as author and the exact quote as title (as posts on social media are
cited), dated when the words were said, found in the Claim Tracker at the
claim's permanent address. The source the words were quoted from is the
*original* publication: its title, outlet, authors and published date, each
to the precision it is known to. A contradiction (or a disputed fact) is cited
as its page: the statement as title, dated when it was last reviewed, with the
claimants on each side in its abstract.

Each format is written for what reads it:

- BibTeX (``@misc``, read by BibTeX and biblatex): the LaTeX specials and
  braces in values are escaped, names and titles are braced so that no style
  splits "Government of Pakistan" into first and last names or changes the
  case of an exact quote, and text stays UTF-8 (biber, and bibtex8 or LuaLaTeX
  with BibTeX, read it).
- RIS: one ``TAG  - value`` line per field, CRLF line endings; a line break
  inside a value (a quote over two paragraphs) becomes a space, since RIS has
  no way to continue a value on the next line.
- CSL-JSON: the text exactly as recorded, line breaks included.

Plain Python: the builders read the records' attributes, the writers return
text. Nothing here decides what is public: callers pass approved records.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from sources.text import strip_bidi_controls

SITE_NAME = "Claim Tracker"
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

# Everything str.splitlines() breaks at, with the spaces around it: RIS and BibTeX values are one line.
_LINE_BREAK = re.compile(r"[ \t]*[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+[ \t]*")
# Other C0/C1 controls: no format can carry them, and no source text holds them (sources.text).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# Sentence ends in the languages of the sources: Latin, Arabic and Persian (؟), Urdu (۔), ellipsis.
_SENTENCE_ENDS = (".", "!", "?", "…", "؟", "۔")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, value: date | None, precision: str = "day") -> "PartialDate | None":
        """``value`` to ``precision`` ("day", "month", "year"; "unknown" or no date gives None)."""
        if value is None or precision == "unknown":
            return None
        if precision == "year":
            return cls(value.year)
        if precision == "month":
            return cls(value.year, value.month)
        return cls(value.year, value.month, value.day)

    @property
    def parts(self) -> list[int]:
        """CSL's date-parts: [year], [year, month] or [year, month, day]."""
        return [part for part in (self.year, self.month, self.day) if part is not None]

    def iso(self) -> str:
        """ "2022", "2022-12" or "2022-12-23" (ISO 8601, as biblatex's date fields take it)."""
        return "-".join(f"{part:04d}" if n == 0 else f"{part:02d}" for n, part in enumerate(self.parts))

    def ris(self) -> str:
        """RIS's date: "2022///", "2022/12//" or "2022/12/23/"."""
        year, month, day = (f"{self.year:04d}", f"{self.month:02d}" if self.month else "", "")
        if self.day:
            day = f"{self.day:02d}"
        return f"{year}/{month}/{day}/"

    def human(self) -> str:
        """ "23 December 2022", "December 2022" or "2022", as the pages write dates."""
        if self.month is None:
            return str(self.year)
        month = f"{_MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {month}" if self.day else month


@dataclass(frozen=True)
class Original:
    """Where cited words were first published: the source a claim quotes."""

    title: str
    outlet: str = ""
    authors: tuple[str, ...] = ()
    published: PartialDate | None = None
    url: str = ""  # the source's own address, when it has one
    language: str = ""


@dataclass(frozen=True)
class Citation:
    """One citable record, in terms every format can say."""

    key: str  # unique and ASCII: a BibTeX key, RIS ID and CSL id
    genre: str  # "Claim", "Contradiction", "Proposition", "Disputed fact"
    title: str
    url: str  # our permanent address, absolute
    authors: tuple[str, ...] = ()
    issued: PartialDate | None = None
    accessed: date | None = None  # left out where the text is kept and shown on other days
    original: Original | None = None
    reported_by: str = ""
    note: str = ""
    abstract: str = ""
    language: str = ""


def _name(text: str) -> str:
    return strip_bidi_controls(text).strip()


def _quoted_in(original: Original, reported_by: str) -> str:
    """ "Quoted in “Title”, Outlet, by A and B, published 23 December 2022 (address); as reported by X." """
    where = [f"Quoted in “{original.title}”"]
    if original.outlet:
        where.append(original.outlet)
    if original.authors:
        where.append(f"by {_and(original.authors)}")
    where.append(f"published {original.published.human()}" if original.published else "publication date unknown")
    note = ", ".join(where)
    if original.url:
        note += f" ({original.url})"
    if reported_by:
        note += f"; as reported by {reported_by}"
    return note + "."


def _and(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _as_date(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def claim_citation(claim, *, url: str, accessed: date | None = None, source=None) -> Citation:
    """A public claim with its claimant and reporter loaded; ``url`` is its absolute permanent address.

    Its source is ``claim.source`` unless given.
    """
    source = source or claim.source
    original = Original(
        title=_name(source.title),
        outlet=_name(source.outlet),
        authors=tuple(_name(author) for author in source.author_list),
        published=PartialDate.of(source.published_on, source.published_precision),
        url=source.url,
        language=source.language,
    )
    reported_by = _name(claim.reported_by.name) if claim.reported_by_id else ""
    return Citation(
        key=f"claimtracker-claim-{claim.pk}",
        genre="Claim",
        title=claim.quote,
        url=url,
        authors=(_name(claim.claimant.name),),
        issued=PartialDate.of(claim.asserted_on, claim.asserted_precision),
        accessed=accessed,
        original=original,
        reported_by=reported_by,
        note=_quoted_in(original, reported_by),
        language=source.language,
    )


# Each side: its value, its label, and "1 claim supports" / "2 claims support".
SIDES = (
    ("supports", "Supports", "supports", "support"),
    ("disputes", "Disputes", "disputes", "dispute"),
    ("qualifies", "Qualifies", "qualifies", "qualify"),
)


def contradiction_citation(proposition, stances, last_reviewed, *, url: str, accessed: date | None = None) -> Citation:
    """A public proposition's page; ``stances`` are its public stances, each with its claim's claimant loaded."""
    claimants: dict[str, list[str]] = {side: [] for side, *_ in SIDES}
    for stance in stances:
        name = _name(stance.claim.claimant.name)
        claimants[stance.side].append(name)
    tally = [
        f"1 claim {one}" if len(claimants[side]) == 1 else f"{len(claimants[side])} claims {many}"
        for side, _, one, many in SIDES
        if claimants[side]
    ]
    # Each claimant once per side, in the stances' order.
    names = {side: list(dict.fromkeys(found)) for side, found in claimants.items()}
    abstract = " ".join(f"{label}: {'; '.join(names[side])}." for side, label, *_ in SIDES if names[side])
    genre = "Contradiction" if proposition.is_contradiction else "Proposition"
    note = f"{genre} in {SITE_NAME}" + (f": {_and(tally)}." if tally else ".")
    return Citation(
        key=f"claimtracker-{proposition.slug}",
        genre=genre,
        title=_name(proposition.statement),
        url=url,
        issued=PartialDate.of(_as_date(last_reviewed)),
        accessed=accessed,
        note=note,
        abstract=abstract,
        language="en",
    )


def question_citation(question, claimants, last_reviewed, *, url: str, accessed: date | None = None) -> Citation:
    """A public question's page (a disputed fact); ``claimants`` are those of its public answers, in order."""
    genre = "Disputed fact" if question.is_contradiction else "Question"
    names = list(dict.fromkeys(_name(name) for name in claimants))
    count = len(claimants)
    return Citation(
        key=f"claimtracker-question-{question.slug}",
        genre=genre,
        title=_name(question.text),
        url=url,
        issued=PartialDate.of(_as_date(last_reviewed)),
        accessed=accessed,
        note=f"{genre} in {SITE_NAME}: {count} answer{'' if count == 1 else 's'}.",
        abstract=f"Answered by {'; '.join(names)}." if names else "",
        language="en",
    )


# ---------------------------------------------------------------------------
# Plain text


def reference(citation: Citation) -> list[tuple[str, bool]]:
    """The reference as segments ``(text, is_record_text)``: pages isolate the record's own text (bidi).

    A claim: ``Claimant (as reported by X), December 2022: “quote”. Quoted in “Title”,
    Outlet, by A, published 23 December 2022. Claim Tracker, URL (accessed 6 December 2026).``
    A page: ``“Statement.” Contradiction, Claim Tracker, last reviewed 6 December 2026. URL.``
    """
    parts: list[tuple[str, bool]] = []
    if citation.genre == "Claim":
        parts.append((_and(citation.authors), True))
        if citation.reported_by:
            parts += [(" (as reported by ", False), (citation.reported_by, True), (")", False)]
        parts.append((f", {citation.issued.human() if citation.issued else 'date unknown'}: “", False))
        parts += [(_one_line(citation.title), True), (f"”{_full_stop(citation.title)} ", False)]
        original = citation.original
        parts += [("Quoted in “", False), (original.title, True), ("”", False)]
        if original.outlet:
            parts += [(", ", False), (original.outlet, True)]
        if original.authors:
            parts.append((", by ", False))
            for n, author in enumerate(original.authors):
                if n:
                    parts.append((" and " if n == len(original.authors) - 1 else ", ", False))
                parts.append((author, True))
        published = original.published.human() if original.published else "publication date unknown"
        parts.append((f", {'published ' if original.published else ''}{published}. {SITE_NAME}, ", False))
    else:
        parts += [("“", False), (citation.title, True), (f"”{_full_stop(citation.title)} ", False)]
        parts.append((f"{citation.genre}, {SITE_NAME}", False))
        if citation.issued:
            parts.append((f", last reviewed {citation.issued.human()}", False))
        parts.append((". ", False))
    parts.append((citation.url, False))
    if citation.accessed:
        parts.append((f" (accessed {PartialDate.of(citation.accessed).human()})", False))
    parts.append((".", False))
    return parts


def _full_stop(text: str) -> str:
    """The full stop after a closing quotation mark, unless the quoted text ends a sentence itself."""
    return "" if text.rstrip().endswith(_SENTENCE_ENDS) else "."


def plain_text(citation: Citation) -> str:
    return "".join(text for text, _ in reference(citation))


def _one_line(text: str) -> str:
    return _LINE_BREAK.sub(" ", _CONTROL.sub("", text)).strip()


# ---------------------------------------------------------------------------
# BibTeX

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _BIBTEX_SPECIALS))
# TeX joins these pairs into other characters: -- and --- into dashes, `` and '' into curly quotes,
# !` and ?` into ¡ and ¿, and (in T1 fonts) ,, << >> into low quotes and guillemets. An empty group
# between the two keeps the characters of an exact quote as they are.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)|(?<=,)(?=,)|(?<=<)(?=<)|(?<=>)(?=>)")
# Characters a URL field (verbatim in biblatex, \url with BibTeX) cannot hold: braces unbalance the value.
_URL_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20", '"': "%22"}


def bibtex_text(text: str) -> str:
    """``text`` as a BibTeX value: one line, LaTeX specials escaped, braces always balanced, no ligatures."""
    escaped = _BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_SPECIALS[match.group()], _one_line(text))
    return _LIGATURE.sub("{}", escaped)


def _bibtex_url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(char, char) for char in _one_line(url))


def _bibtex_entry(citation: Citation) -> str:
    fields: list[tuple[str, str]] = []
    if citation.authors:
        fields.append(("author", "{" + " and ".join(f"{{{bibtex_text(name)}}}" for name in citation.authors) + "}"))
    fields.append(("title", f"{{{{{bibtex_text(citation.title)}}}}}"))
    if citation.issued:
        fields.append(("date", f"{{{citation.issued.iso()}}}"))
        fields.append(("year", f"{{{citation.issued.year:04d}}}"))
        if citation.issued.month:
            fields.append(("month", _BIBTEX_MONTHS[citation.issued.month - 1]))
    fields.append(("howpublished", f"{{{bibtex_text(SITE_NAME)}}}"))
    fields.append(("url", f"{{{_bibtex_url(citation.url)}}}"))
    if citation.accessed:
        fields.append(("urldate", f"{{{citation.accessed.isoformat()}}}"))
    if original := citation.original:
        fields.append(("origtitle", f"{{{{{bibtex_text(original.title)}}}}}"))
        if original.outlet:
            fields.append(("origpublisher", f"{{{bibtex_text(original.outlet)}}}"))
        if original.published:
            fields.append(("origdate", f"{{{original.published.iso()}}}"))
    if citation.note:
        fields.append(("note", f"{{{bibtex_text(citation.note)}}}"))
    if citation.abstract:
        fields.append(("abstract", f"{{{bibtex_text(citation.abstract)}}}"))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {value}" for name, value in fields)
    return f"@misc{{{citation.key},\n{body}\n}}\n"


def bibtex(citations: list[Citation]) -> str:
    return "\n".join(_bibtex_entry(citation) for citation in citations)


# ---------------------------------------------------------------------------
# RIS


def _ris_record(citation: Citation) -> list[tuple[str, str]]:
    lines = [("TY", "ELEC"), ("ID", citation.key)]
    lines += [("AU", name) for name in citation.authors]
    lines += [("TI", citation.title), ("T2", SITE_NAME)]
    if citation.issued:
        lines += [("PY", f"{citation.issued.year:04d}"), ("DA", citation.issued.ris())]
    lines.append(("UR", citation.url))
    if citation.accessed:
        lines.append(("Y2", citation.accessed.strftime("%Y/%m/%d")))
    if citation.original:
        lines.append(("OP", citation.original.title))
    if citation.note:
        lines.append(("N1", citation.note))
    if citation.abstract:
        lines.append(("AB", citation.abstract))
    if citation.language:
        lines.append(("LA", citation.language))
    return [(tag, _one_line(value)) for tag, value in lines if _one_line(value)]


def ris(citations: list[Citation]) -> str:
    lines = []
    for citation in citations:
        lines += [f"{tag}  - {value}" for tag, value in _ris_record(citation)]
        lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


# ---------------------------------------------------------------------------
# CSL-JSON


def _csl_date(value: PartialDate) -> dict:
    return {"date-parts": [value.parts]}


def csl_item(citation: Citation) -> dict:
    """One CSL-JSON item (CSL 1.0.2): the record's text exactly as recorded."""
    item: dict = {"id": citation.key, "type": "webpage", "genre": citation.genre, "title": citation.title}
    if citation.authors:
        # Literal names: a style must not invert "Zabihullah Mujahid" or "Government of Pakistan".
        item["author"] = [{"literal": name} for name in citation.authors]
    if citation.issued:
        item["issued"] = _csl_date(citation.issued)
    item["container-title"] = SITE_NAME
    item["URL"] = citation.url
    if citation.accessed:
        item["accessed"] = _csl_date(PartialDate.of(citation.accessed))
    if original := citation.original:
        item["original-title"] = original.title
        if original.authors:
            item["original-author"] = [{"literal": name} for name in original.authors]
        if original.outlet:
            item["original-publisher"] = original.outlet
        if original.published:
            item["original-date"] = _csl_date(original.published)
    if citation.note:
        item["note"] = citation.note
    if citation.abstract:
        item["abstract"] = citation.abstract
    if citation.language:
        item["language"] = citation.language
    return item


def csl_json(citations: list[Citation]) -> str:
    return json.dumps([csl_item(citation) for citation in citations], ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class CitationFormat:
    extension: str
    label: str
    content_type: str
    write: object  # list[Citation] -> str


FORMATS = {
    "bib": CitationFormat("bib", "BibTeX", "application/x-bibtex; charset=utf-8", bibtex),
    "ris": CitationFormat("ris", "RIS", "application/x-research-info-systems; charset=utf-8", ris),
    "json": CitationFormat("json", "CSL-JSON", "application/vnd.citationstyles.csl+json; charset=utf-8", csl_json),
}
