"""A large, realistic, reproducible corpus for benchmarks and scale tests.

``generate_corpus(claims=N, seed=S)`` (the command ``manage.py generate_corpus
--claims N --seed S``) writes N claims with their sources,
actors, propositions, stances and review history, in the proportions a large
archive has (about one source per 25 claims, one actor per 50 with a few
prolific speakers, one proposition per 40 with a few hot topics), in English
mostly and in Persian, Urdu, Pashto and Arabic. Every quote is an exact
substring of its source text. Everything is derived from the seed, so the same
seed gives the same corpus.

It also writes, once per database, the fixed benchmark set the benchmark and
the scale tests aim at: the contradiction ``bench-forty-claims`` with exactly 40
public claims, the actor ``bench-five-hundred`` with exactly 500 approved claims,
and the source at ``BENCH_SOURCE_URL``. ``--claims 0`` writes only that set.

Records are written with bulk inserts in one transaction, bypassing the review
methods (which take a row lock and write an audit row per record); the audit
rows and the propositions' public tallies they would have written are written
in bulk instead, with the same meaning.
"""

import datetime
import math
import random
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, get_commands
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from claims.markup import render_markdown
from claims.models import (
    Actor,
    ActorKind,
    Answer,
    Claim,
    Proposition,
    Question,
    ReviewState,
    Side,
    Stance,
    StateChange,
)
from claims.questions import ValueType, conflicting_pairs, read_value
from claims.roles import ANALYSTS, REVIEWERS
from reader.positions import rebuild_position_changes
from sources.anchoring import CONTEXT_LENGTH
from sources.dates import DatePrecision
from sources.models import Source
from sources.text import text_checksum

BENCH_CONTRADICTION_SLUG = "bench-forty-claims"
BENCH_CONTRADICTION_CLAIMS = 40
BENCH_QUESTION_SLUG = "bench-question"
BENCH_QUESTION_ANSWERS = 24
BENCH_ACTOR_SLUG = "bench-five-hundred"
BENCH_ACTOR_CLAIMS = 500
BENCH_SOURCE_URL = "https://bench.example.org/sources/1"
BENCH_SOURCES = 20
# Words the benchmark's search looks for; frequent in the English text.
BENCH_SEARCH_TERM = "ceasefire"

CORPUS_URL = "https://corpus.example.org"
EPOCH = datetime.datetime(2025, 12, 31, 12, 0, tzinfo=datetime.UTC)

# Proportions of a large archive.
CLAIMS_PER_SOURCE = 25
CLAIMS_PER_ACTOR = 50
CLAIMS_PER_PROPOSITION = 40
CLAIMS_PER_QUESTION = 200
QUESTION_STATES = {ReviewState.APPROVED: 88, ReviewState.PENDING: 6, ReviewState.DRAFT: 6}
ANSWER_STATES = {ReviewState.APPROVED: 90, ReviewState.PENDING: 6, ReviewState.DRAFT: 4}
LANGUAGES = {"en": 70, "fa": 8, "ur": 8, "ps": 6, "ar": 8}
CLAIM_STATES = {ReviewState.APPROVED: 85, ReviewState.PENDING: 6, ReviewState.DRAFT: 5, ReviewState.REJECTED: 4}
PROPOSITION_STATES = {ReviewState.APPROVED: 88, ReviewState.PENDING: 5, ReviewState.DRAFT: 4, ReviewState.REJECTED: 3}
STANCE_STATES = {ReviewState.APPROVED: 92, ReviewState.PENDING: 4, ReviewState.DRAFT: 2, ReviewState.REJECTED: 2}
ACTOR_KINDS = {
    ActorKind.PERSON: 55,
    ActorKind.GOVERNMENT: 15,
    ActorKind.ARMED_GROUP: 8,
    ActorKind.PARTY: 7,
    ActorKind.MEDIA_OUTLET: 8,
    ActorKind.RESEARCH_BODY: 4,
    ActorKind.OTHER: 3,
}
# How a proposition's claims lean: (supports, disputes); the rest qualify.
LEANS = [(0.45, 0.4), (0.45, 0.4), (0.7, 0.2), (0.2, 0.7), (0.9, 0.05), (0.05, 0.9)]
MIN_TEXT_CHARS, MEDIAN_TEXT_CHARS, MAX_TEXT_CHARS = 1_000, 6_000, 30_000
LONGEST_SENTENCE = 400
SOURCES_PER_CHUNK = 200


def _nfc(words: str) -> list[str]:
    return [unicodedata.normalize("NFC", word) for word in words.split()]


# ---------------------------------------------------------------------------
# Vocabulary


PLACES = _nfc(
    "Kabul Kandahar Peshawar Quetta Islamabad Khost Kunar Nangarhar Paktika Bajaur Khyber Waziristan Torkham "
    "Chaman Swat Helmand Zabul Ghazni Dir Chitral Mohmand Orakzai Kurram Tirah"
)
MONTHS = _nfc("January February March April May June July August September October November December")
EN_SUBJECTS = [
    "the Afghan Taliban", "the TTP", "Pakistani forces", "the government of Pakistan", "the interim government",
    "local elders", "the foreign ministry", "the army", "border police", "the provincial council",
    "tribal leaders", "the spokesman", "militant commanders", "the security services", "the mediators",
    "the delegation", "the United Nations mission", "the ministry of interior", "refugee groups", "local officials",
]  # fmt: skip
EN_VERBS = [
    "denied", "confirmed", "rejected", "welcomed", "announced", "ended", "extended", "violated", "negotiated",
    "accused", "supported", "sheltered", "criticised", "investigated", "reported", "closed", "reopened",
    "suspended", "demanded", "promised",
]  # fmt: skip
EN_OBJECTS = [
    "the ceasefire", "the talks", "the border crossing", "the attack", "the agreement", "cross-border raids",
    "the release of prisoners", "the peace process", "the security operation", "the allegations", "the truce",
    "the airstrikes", "the curfew", "the funding", "the mediation effort", "the refugee returns",
    "the ceasefire deal", "the prisoner exchange", "the military operation", "the negotiations",
]  # fmt: skip
EN_MODIFIERS = [
    "last week", "on Tuesday", "after months of talks", "without giving details", "in a written statement",
    "despite earlier promises", "under pressure from Islamabad", "in a televised address", "for the second time",
    "according to local sources", "near the border", "at a press conference", "in a post on social media",
    "after the Kandahar meeting", "before the deadline", "in the tribal districts",
]  # fmt: skip
EN_FRAMES = [
    "{S} said that {C}.", "{C}, according to {S}.", "{S} told reporters that {C}.", "{C}.", "{C}.", "{C}.",
    "In {M} {Y}, {C}.", "Officials in {P} said {C}.", "It is not clear whether {C}.", "{S} insisted that {C}.",
    "Analysts in {P} believe {C}.", "Witnesses in {P} said {C}.",
]  # fmt: skip
EN_FIRST_NAMES = _nfc(
    "Ahmad Zabihullah Imran Shehbaz Fatima Maryam Abdul Hamid Sher Bilal Saima Nadia Farid Javed Khalid Omar "
    "Sana Ayesha Hina Tariq Asif Rahim Karim Wahid Noor Gul Zarina Malalai Hassan Yusuf Salim Bashir Aziz Rashid "
    "Kamran Faisal Laila Parwin Shabana Waheeda Qasim Naveed Ismail Mirwais Habib Latif Samira Hamida Anwar"
)
EN_LAST_NAMES = _nfc(
    "Karimi Yousafzai Durrani Baloch Qureshi Rahimi Siddiqui Haqqani Mujahid Sharif Zaman Akhtar Rashid Noori "
    "Wardak Popal Barakzai Achakzai Afridi Khattak Shinwari Mohmand Stanekzai Niazi Bangash Orakzai Kakar "
    "Hotak Ghilzai Safi Jadoon Tanoli Mahsud Wazir Dawar Bhittani Marwat Gandapur Hashmi Ansari Saadat Amiri"
)
EN_TITLE_WORDS = _nfc(
    "Talks Border Ceasefire Crisis Attack Truce Mediation Militants Refugees Security Raids Pressure Deadline "
    "Deal Accusations Denial Escalation Warning Clashes Agreement Report Analysis Briefing Interview"
)
OUTLETS = [
    "The Frontier Post", "Kabul Times", "Peshawar Herald", "Dawn Review", "Quetta Tribune", "Radio Khyber",
    "The Border Monitor", "Ariana Weekly", "Daily Mashriq", "Islamabad Observer", "Khost Gazette",
    "Regional Security Review", "Conflict Studies Quarterly", "South Asia Bulletin",
]  # fmt: skip
BODY_NAMES = {
    ActorKind.GOVERNMENT: ["Ministry of Interior", "Ministry of Foreign Affairs", "Ministry of Defence",
                           "Ministry of Information", "Government", "Provincial Government", "Border Police",
                           "Office of the Spokesman", "Home Department", "Counter-Terrorism Department"],
    ActorKind.ARMED_GROUP: ["Front", "Movement", "Brigade", "Lashkar", "Mujahideen Council", "Commanders' Shura"],
    ActorKind.PARTY: ["People's Party", "National Awami Party", "Justice Movement", "Islamic Front", "Democratic Alliance"],
    ActorKind.MEDIA_OUTLET: ["Times", "Tribune", "Herald", "Observer", "Radio", "News Agency", "Television"],
    ActorKind.RESEARCH_BODY: ["Institute for Peace Studies", "Centre for Conflict Research", "Security Research Unit",
                              "Policy Institute", "Strategic Studies Centre"],
    ActorKind.OTHER: ["Elders' Council", "Traders' Association", "Refugee Committee", "Bar Association",
                      "Students' Union", "Human Rights Commission"],
}  # fmt: skip
STATEMENT_SUBJECTS = [
    "The Afghan Taliban", "The TTP", "Pakistani forces", "The government of Pakistan", "The interim government in Kabul",
    "Militants based in {P}", "Security forces in {P}", "Tribal elders in {P}", "The mediators", "Foreign fighters in {P}",
]  # fmt: skip
STATEMENT_PREDICATES = [
    "shelter fighters in {P}", "agreed a ceasefire in {M} {Y}", "ended the ceasefire in {M} {Y}",
    "carried out the attack in {P} in {M} {Y}", "closed the border crossing at {P} in {M} {Y}",
    "receive weapons from across the border", "control most of the district around {P}",
    "negotiated the release of prisoners in {M} {Y}", "used the truce of {Y} to recruit and rearm",
    "are responsible for the security of {P}", "met in {P} in {M} {Y} to discuss a settlement",
    "were not involved in the {P} talks of {Y}", "lost control of {P} in {Y}", "paid compensation after the {P} raid",
]  # fmt: skip
NOTES = [
    "Says *{w}* where other sources say *{v}*.", "Reported speech: the outlet does not name its source.",
    "Only partly on point: the claim concerns **{w}**, not the proposition as a whole.",
    "The date is inferred from the dateline.", "Contradicts the same speaker's earlier statement about {w}.",
    "Hedged: \"it is not clear\" — counts as qualifying.", "Translated quote; see the original in the source.",
]  # fmt: skip
RTL_WORDS = {
    "fa": _nfc(
        "دولت طالبان پاکستان افغانستان مرز آتش‌بس مذاکرات امنیت گروه حمله نیروها سخنگو گفت اعلام کرد است بود که "
        "در از به با این آن را برای روابط همکاری حمایت پناهگاه جنگجویان کابل اسلام‌آباد وزارت خارجه گزارش منابع "
        "محلی ولایت شرق ماه سال گذشته جدید صلح میانجیگری تحریک نشست قندهار مسئول داخلی تهدید مقامات رسانه‌ها"
    ),
    "ur": _nfc(
        "حکومت طالبان پاکستان افغانستان سرحد جنگ بندی مذاکرات سلامتی گروہ حملہ فورسز ترجمان نے کہا کہ میں سے کو "
        "اور یہ وہ کے کی کا ہے تھا تعلقات تعاون حمایت پناہ عسکریت پسند کابل اسلام آباد وزارت خارجہ رپورٹ ذرائع "
        "مقامی صوبہ امن ثالثی تحریک اجلاس ذمہ دار اندرونی خطرہ حکام میڈیا"
    ),
    "ps": _nfc(
        "حکومت طالبان پاکستان افغانستان پوله اوربند خبرې اترې امنیت ډله برید ځواکونه ویاند وویل چې په له د او دا "
        "هغه ته کې دی وو اړیکې همکاري ملاتړ پناه جنګیالي کابل اسلام آباد وزارت بهرنیو چارو راپور سرچینې سیمه ولایت "
        "سوله منځګړیتوب تحریک غونډه کندهار مسؤل کورني ګواښ چارواکي رسنۍ"
    ),
    "ar": _nfc(
        "الحكومة طالبان باكستان أفغانستان الحدود وقف إطلاق النار المفاوضات الأمن الجماعة هجوم القوات المتحدث قال "
        "أن في من إلى على مع هذا ذلك العلاقات التعاون الدعم ملاذ المسلحين كابول إسلام آباد وزارة الخارجية تقرير "
        "مصادر محلية ولاية السلام الوساطة حركة اجتماع قندهار مسؤولة الداخلي تهديد المسؤولون وسائل الإعلام العام الماضي"
    ),
}
SENTENCE_END = {"fa": ".", "ur": "۔", "ps": ".", "ar": "."}
RTL_COMMA = "،"


# ---------------------------------------------------------------------------
# Text


@dataclass
class Text:
    """A generated source text and where its sentences are, for cutting quotes out of it."""

    text: str
    sentences: list[tuple[int, int]]  # (start, end) of each sentence
    paragraph_of: list[int]  # paragraph index of each sentence


class Prose:
    """Sentences and texts in one language, drawn from the generator's random stream."""

    def __init__(self, rng: random.Random, language: str):
        self.rng, self.language = rng, language

    def sentence(self) -> str:
        if self.language == "en":
            return self._english_sentence()
        rng, words = self.rng, RTL_WORDS[self.language]
        chosen = rng.choices(words, k=rng.randint(7, 22))
        if len(chosen) > 10 and rng.random() < 0.4:
            chosen[rng.randint(3, len(chosen) - 4)] += RTL_COMMA
        return " ".join(chosen) + SENTENCE_END[self.language]

    def _english_sentence(self) -> str:
        rng = self.rng
        clause = f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_OBJECTS)}"
        if rng.random() < 0.6:
            clause += f" {rng.choice(EN_MODIFIERS)}"
        if rng.random() < 0.3:
            clause += f" in {rng.choice(PLACES)}"
        sentence = rng.choice(EN_FRAMES).format(
            S=rng.choice(EN_SUBJECTS), C=clause, P=rng.choice(PLACES), M=rng.choice(MONTHS), Y=rng.randint(2019, 2025)
        )
        return sentence[0].upper() + sentence[1:]

    def title(self) -> str:
        rng = self.rng
        if self.language == "en":
            words = rng.sample(EN_TITLE_WORDS, 2)
            return f"{words[0]} and {words[1].lower()} in {rng.choice(PLACES)}"
        return " ".join(rng.choices(RTL_WORDS[self.language], k=rng.randint(4, 8)))

    def text(self, target_chars: int) -> Text:
        """At least ``target_chars`` characters of paragraphs (one sentence more at most), already normalized."""
        rng = self.rng
        pieces: list[str] = []
        sentences: list[tuple[int, int]] = []
        paragraph_of: list[int] = []
        position, paragraph, in_paragraph = 0, 0, 0
        paragraph_length = rng.randint(2, 7)
        while position < target_chars or not sentences:
            if in_paragraph == paragraph_length:
                pieces.append("\n\n")
                position += 2
                paragraph, in_paragraph, paragraph_length = paragraph + 1, 0, rng.randint(2, 7)
            elif in_paragraph:
                pieces.append(" ")
                position += 1
            sentence = self.sentence()
            pieces.append(sentence)
            sentences.append((position, position + len(sentence)))
            paragraph_of.append(paragraph)
            position += len(sentence)
            in_paragraph += 1
        return Text("".join(pieces), sentences, paragraph_of)


def cut_quote(rng: random.Random, text: Text, sentence: int) -> tuple[int, int]:
    """A span to quote around ``sentence``: the sentence, it and the next, or a run of its words."""
    start, end = text.sentences[sentence]
    roll = rng.random()
    following = sentence + 1
    if roll < 0.15 and following < len(text.sentences) and text.paragraph_of[following] == text.paragraph_of[sentence]:
        return start, text.sentences[following][1]
    if roll < 0.6:
        return start, end
    words = text.text[start:end].split(" ")
    if len(words) <= 6:
        return start, end
    offsets, at = [], start
    for word in words:
        offsets.append((at, at + len(word)))
        at += len(word) + 1
    length = rng.randint(5, len(words) - 1)
    first = rng.randrange(len(words) - length + 1)
    return offsets[first][0], offsets[first + length - 1][1]


def text_length(rng: random.Random) -> int:
    """Source lengths in characters: log-normal around the median, clipped to 1–30 KB.

    Prose.text() overshoots its target by at most one sentence, hence the margin.
    """
    length = int(rng.lognormvariate(math.log(MEDIAN_TEXT_CHARS), 0.8))
    return max(MIN_TEXT_CHARS, min(MAX_TEXT_CHARS - LONGEST_SENTENCE, length))


def weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def zipf_cumulative(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights: the k-th item is chosen in proportion to 1 / k**exponent."""
    return list(accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders), deterministically."""
    if not weights:
        return []
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda index: (counts[index] - shares[index], index))
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


# ---------------------------------------------------------------------------
# Review history


@dataclass
class Timeline:
    """When a record was created, submitted and reviewed, and by whom: what its review methods would have stamped."""

    state: str
    created_by: int
    created_at: datetime.datetime
    reviewer: int | None = None
    submitted_at: datetime.datetime | None = None
    reviewed_at: datetime.datetime | None = None
    reason: str = ""

    @classmethod
    def draw(cls, rng: random.Random, state: str, created_at, analysts: list[int], reviewers: list[int]):
        timeline = cls(state=state, created_by=rng.choice(analysts), created_at=created_at)
        if state != ReviewState.DRAFT:
            timeline.submitted_at = created_at + datetime.timedelta(minutes=rng.randint(5, 48 * 60))
        if state in (ReviewState.APPROVED, ReviewState.REJECTED):
            timeline.reviewer = rng.choice(reviewers)
            timeline.reviewed_at = timeline.submitted_at + datetime.timedelta(minutes=rng.randint(10, 72 * 60))
        if state == ReviewState.REJECTED:
            timeline.reason = rng.choice(
                [
                    "The quote is cut so that it changes the meaning; quote the whole sentence.",
                    "Wrong claimant: the outlet reports this, the official did not say it.",
                    "Duplicate of an approved claim from the same source.",
                    "The paraphrase overstates the quote.",
                ]
            )
        return timeline

    def fields(self) -> dict:
        """Model field values for a record with this history."""
        approved = self.state == ReviewState.APPROVED
        return {
            "state": self.state,
            "version": {ReviewState.DRAFT: 1, ReviewState.PENDING: 2}.get(self.state, 3),
            "created_by_id": self.created_by,
            "created_at": self.created_at,
            "submitted_at": self.submitted_at,
            "reviewed_by_id": self.reviewer,
            "reviewed_at": self.reviewed_at,
            "review_reason": self.reason,
            "first_approved_at": self.reviewed_at if approved else None,
        }

    def state_changes(self, content_type_id: int, object_id: int) -> list[dict]:
        """The audit rows submit() and approve()/reject() would have written."""
        changes = []
        record = {"content_type_id": content_type_id, "object_id": object_id}
        if self.submitted_at:
            changes.append(
                {
                    **record,
                    "from_state": ReviewState.DRAFT,
                    "to_state": ReviewState.PENDING,
                    "by_id": self.created_by,
                    "at": self.submitted_at,
                }
            )
        if self.reviewed_at:
            changes.append(
                {
                    **record,
                    "from_state": ReviewState.PENDING,
                    "to_state": self.state,
                    "by_id": self.reviewer,
                    "at": self.reviewed_at,
                    "reason": self.reason,
                }
            )
        return changes


class RowInserter:
    """Plain INSERTs of many rows of one model, without model instances: for the corpus's biggest tables.

    At this scale bulk_create() spends far longer building instances and
    compiling each value than the database spends inserting. Rows here are
    dicts keyed by attribute name; a column a row leaves out gets the field's
    default. Ids are handed out from the table's current maximum, which is safe
    because the generator writes inside one transaction holding the write lock
    (SQLite); on other databases it must be the only writer, and the id
    sequences are reset afterwards (reset_sequences).
    """

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        # Only names from the model and placeholders: the values travel as parameters.
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        now = timezone.now()
        self.defaults = [
            now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) else field.get_default()
            for field in self.fields
        ]
        self.attnames = [field.attname for field in self.fields]
        adapters = {
            "DateTimeField": connection.ops.adapt_datetimefield_value,
            "DateField": connection.ops.adapt_datefield_value,
        }
        self.adapters = [
            (index, adapters[field.get_internal_type()])
            for index, field in enumerate(self.fields)
            if field.get_internal_type() in adapters
        ]
        self.next_id = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def insert(self, rows: list[dict]) -> list[int]:
        """Insert ``rows``; return their ids, in order."""
        ids = list(range(self.next_id, self.next_id + len(rows)))
        self.next_id += len(rows)
        pk = self.model._meta.pk.attname
        values = []
        for row_id, row in zip(ids, rows, strict=True):
            row[pk] = row_id
            value = [row.get(name, default) for name, default in zip(self.attnames, self.defaults, strict=True)]
            for index, adapt in self.adapters:
                value[index] = adapt(value[index])
            values.append(value)
        with connection.cursor() as cursor:
            for first in range(0, len(values), 2000):
                cursor.executemany(self.sql, values[first : first + 2000])
        return ids


@dataclass(frozen=True)
class Said:
    """A claim as the generator sees it once written."""

    pk: int
    claimant_id: int
    state: str
    created_at: datetime.datetime


# ---------------------------------------------------------------------------
# The generator


@dataclass
class Voice:
    """An actor as the generator sees it."""

    pk: int
    kind: str


@dataclass
class Topic:
    """A proposition as the generator sees it."""

    pk: int
    state: str
    approved_at: datetime.datetime | None
    lean: tuple[float, float]


@dataclass
class SourcePlan:
    language: str
    length: int
    claims: int
    voices: list[Voice] = field(default_factory=list)


class CorpusWriter:
    """Writes records in bulk, with the audit rows their review would have left."""

    def __init__(self, rng: random.Random, analysts: list[int], reviewers: list[int], progress):
        self.rng, self.analysts, self.reviewers, self.progress = rng, analysts, reviewers, progress
        self.content_types = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (Claim, Stance, Proposition, Question, Answer)
        }
        self.notes_html: dict[str, str] = {}
        self.proposition_ids: list[int] = []
        self.inserters = {model: RowInserter(model) for model in (Claim, Stance, StateChange)}

    def timeline(self, states: dict, created_at) -> Timeline:
        return Timeline.draw(self.rng, weighted(self.rng, states), created_at, self.analysts, self.reviewers)

    def audit(self, model, ids_with_timelines) -> None:
        content_type = self.content_types[model]
        self.inserters[StateChange].insert(
            [change for pk, timeline in ids_with_timelines for change in timeline.state_changes(content_type, pk)]
        )

    def actors(self, specs: list[tuple[str, str, str, str]]) -> list[Actor]:
        """Create actors from (name, slug, kind, description)."""
        rng = self.rng
        actors = []
        for name, slug, kind, description in specs:
            created = EPOCH - datetime.timedelta(days=rng.randint(400, 2500))
            actors.append(
                Actor(
                    name=name,
                    slug=slug,
                    kind=kind,
                    description=description,
                    description_html=render_markdown(description),
                    created_by_id=rng.choice(self.analysts),
                    created_at=created,
                    # Claims are approved only after their actors: the corpus's actors all are.
                    state=ReviewState.APPROVED,
                    reviewed_by_id=self.reviewers[0],
                    reviewed_at=created,
                    first_approved_at=created,
                )
            )
        return Actor.objects.bulk_create(actors, batch_size=1000)

    def propositions(self, specs: list[tuple[str, str, str]], states: dict) -> list[Topic]:
        """Create propositions from (statement, slug, description), with their review history."""
        rng = self.rng
        rows = []
        for statement, slug, description in specs:
            timeline = self.timeline(states, EPOCH - datetime.timedelta(days=rng.randint(300, 2400)))
            proposition = Proposition(
                statement=statement,
                slug=slug,
                description=description,
                description_html=render_markdown(description),
                **timeline.fields(),
            )
            rows.append((proposition, timeline))
        Proposition.objects.bulk_create([proposition for proposition, _ in rows], batch_size=1000)
        self.audit(Proposition, [(proposition.pk, timeline) for proposition, timeline in rows])
        self.proposition_ids += [proposition.pk for proposition, _ in rows]
        return [
            Topic(
                proposition.pk,
                proposition.state,
                timeline.reviewed_at if timeline.state == ReviewState.APPROVED else None,
                rng.choice(LEANS),
            )
            for proposition, timeline in rows
        ]

    def sources(self, plans: list[tuple[int, SourcePlan]], url_of, outlets: list[str]) -> list[tuple[Source, Text]]:
        """Create sources from (index, plan); ``url_of(index)`` gives each its address."""
        rng = self.rng
        rows = []
        for index, plan in plans:
            prose = Prose(rng, plan.language)
            text = prose.text(plan.length)
            published = (EPOCH - datetime.timedelta(days=rng.randint(30, 2500))).date()
            precision = weighted(rng, {DatePrecision.DAY: 80, DatePrecision.MONTH: 8, DatePrecision.UNKNOWN: 12})
            if precision == DatePrecision.MONTH:
                published = published.replace(day=1)
            source = Source(
                title=prose.title(),
                url=url_of(index),
                outlet=rng.choice(outlets),
                authors=f"{rng.choice(EN_FIRST_NAMES)} {rng.choice(EN_LAST_NAMES)}" if rng.random() < 0.7 else "",
                published_on=None if precision == DatePrecision.UNKNOWN else published,
                published_precision=precision,
                language=plan.language,
                text=text.text,
                checksum=text_checksum(text.text),
                created_by_id=rng.choice(self.analysts),
                # Claims are approved only after their sources: the corpus's sources all are.
                state=ReviewState.APPROVED,
                reviewed_by_id=self.reviewers[0],
                reviewed_at=EPOCH,
                first_approved_at=EPOCH,
            )
            rows.append((source, text))
        Source.objects.bulk_create([source for source, _ in rows], batch_size=500)
        return rows

    def claims(self, specs: list[dict]) -> list[Said]:
        """Create claims from dicts of source, text, sentence, claimant (pk), reported_by (pk), states, created_at."""
        rng = self.rng
        rows, timelines = [], []
        for spec in specs:
            source, text = spec["source"], spec["text"]
            start, end = cut_quote(rng, text, spec["sentence"])
            body = text.text
            asserted, precision = self.asserted(source)
            timeline = self.timeline(spec["states"], spec["created_at"])
            rows.append(
                {
                    "source_id": source.pk,
                    "claimant_id": spec["claimant"],
                    "reported_by_id": spec.get("reported_by"),
                    "quote": body[start:end],
                    "start": start,
                    "end": end,
                    "prefix": body[max(0, start - CONTEXT_LENGTH) : start],
                    "suffix": body[end : end + CONTEXT_LENGTH],
                    "paraphrase": Prose(rng, "en").sentence()[:300],
                    "asserted_on": asserted,
                    "asserted_precision": precision,
                    **timeline.fields(),
                }
            )
            timelines.append(timeline)
        ids = self.inserters[Claim].insert(rows)
        self.audit(Claim, zip(ids, timelines, strict=True))
        self.progress.update(len(rows))
        return [
            Said(pk, row["claimant_id"], timeline.state, timeline.created_at)
            for pk, row, timeline in zip(ids, rows, timelines, strict=True)
        ]

    def asserted(self, source: Source) -> tuple[datetime.date | None, str]:
        if source.published_on is None or self.rng.random() < 0.1:
            return None, DatePrecision.UNKNOWN
        if source.published_precision == DatePrecision.MONTH:
            return source.published_on, DatePrecision.MONTH
        return source.published_on - datetime.timedelta(days=self.rng.randint(0, 3)), DatePrecision.DAY

    def stances(self, specs: list[tuple[Said, Topic, str, dict]]) -> None:
        """Create stances from (claim, topic, side, states); a stance is approved only if both ends are."""
        rng = self.rng
        rows, timelines = [], []
        for claim, topic, side, states in specs:
            both_public = claim.state == ReviewState.APPROVED and topic.state == ReviewState.APPROVED
            if not both_public:
                states = {ReviewState.DRAFT: 1, ReviewState.PENDING: 1}
            created = max(claim.created_at, topic.approved_at or claim.created_at)
            timeline = self.timeline(states, created + datetime.timedelta(minutes=rng.randint(1, 600)))
            note = self.note() if rng.random() < 0.2 else ""
            if note not in self.notes_html:
                self.notes_html[note] = render_markdown(note)
            rows.append(
                {
                    "claim_id": claim.pk,
                    "proposition_id": topic.pk,
                    "side": side,
                    "note": note,
                    "note_html": self.notes_html[note],
                    **timeline.fields(),
                }
            )
            timelines.append(timeline)
        ids = self.inserters[Stance].insert(rows)
        self.audit(Stance, zip(ids, timelines, strict=True))

    def questions(
        self,
        specs: list[tuple[str, str, str]],
        claims: list[Said],
        answers_each: tuple[int, int],
        answer_states: dict = ANSWER_STATES,
    ) -> int:
        """Create questions from (text, slug, value type), each answered by approved claims; return how many conflict.

        Values are drawn around one true value per question: most answers state
        it (at day, month or year precision, or as a rounded figure), some do
        not, so that some questions have conflicting answers and some agree.
        """
        rng = self.rng
        approved_claims = [claim for claim in claims if claim.state == ReviewState.APPROVED]
        if not specs or len(approved_claims) < answers_each[1]:
            return 0
        rows = []
        for text, slug, value_type in specs:
            timeline = self.timeline(QUESTION_STATES, EPOCH - datetime.timedelta(days=rng.randint(200, 2000)))
            unit = "people" if value_type == ValueType.QUANTITY else ""
            tolerance = 10 if value_type == ValueType.QUANTITY else 0
            question = Question(
                text=text, slug=slug, value_type=value_type, unit=unit, tolerance_percent=tolerance, **timeline.fields()
            )
            rows.append((question, timeline))
        questions = Question.objects.bulk_create([question for question, _ in rows], batch_size=500)
        self.audit(Question, [(question.pk, timeline) for question, (_, timeline) in zip(questions, rows, strict=True)])
        answers, timelines = [], []
        for question in questions:
            for claim in rng.sample(approved_claims, rng.randint(*answers_each)):
                states = answer_states if question.state == ReviewState.APPROVED else {ReviewState.DRAFT: 1}
                timeline = self.timeline(states, claim.created_at + datetime.timedelta(days=rng.randint(1, 30)))
                value = self.answer_value(question, question.slug)
                answer = Answer(question=question, claim_id=claim.pk, value_text=value, **timeline.fields())
                for name, typed in read_value(question, value).items():
                    setattr(answer, name, typed)
                answers.append(answer)
                timelines.append(timeline)
        answers = Answer.objects.bulk_create(answers, batch_size=1000)
        self.audit(Answer, [(answer.pk, timeline) for answer, timeline in zip(answers, timelines, strict=True)])
        return self.refresh_question_state(questions, answers)

    def answer_value(self, question: Question, truth_seed: str) -> str:
        """A value for ``question``: its true value most of the time, at some precision, or another value."""
        rng, truth = self.rng, random.Random(truth_seed)
        if question.value_type == ValueType.DATE:
            day = datetime.date(2015, 1, 1) + datetime.timedelta(days=truth.randint(0, 3000))
            if rng.random() < 0.25:
                day += datetime.timedelta(days=rng.choice([-1, 1]) * rng.randint(40, 400))
            form = rng.random()
            return f"{day.year}" if form < 0.15 else f"{day:%Y-%m}" if form < 0.6 else day.isoformat()
        figure = truth.randint(5, 400)
        roll = rng.random()
        if roll < 0.2:
            return f"at least {max(1, figure - rng.randint(0, 10))}"
        if roll < 0.4:
            return f"about {round(figure, -1) or figure}"
        if roll < 0.6:
            return f"{figure * 2 + rng.randint(1, 50)}"
        return str(figure)

    def refresh_question_state(self, questions: list[Question], answers: list[Answer]) -> int:
        """What refresh_public_state() would store, for every generated question at once."""
        public: dict[int, list[Answer]] = defaultdict(list)
        for answer in answers:
            if answer.state == ReviewState.APPROVED and answer.question.state == ReviewState.APPROVED:
                public[answer.question_id].append(answer)
        for question in questions:
            mine = public.get(question.pk, [])
            question.answers_count = len(mine)
            question.has_conflict = question.state == ReviewState.APPROVED and bool(conflicting_pairs(mine))
            question.became_contradiction_at = (
                max(answer.first_approved_at for answer in mine) if question.has_conflict else None
            )
        Question.objects.bulk_update(
            questions, ["answers_count", "has_conflict", "became_contradiction_at"], batch_size=500
        )
        return sum(1 for question in questions if question.has_conflict)

    def reset_sequences(self) -> None:
        """After inserting with explicit ids, point the id sequences past them (SQLite needs nothing)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.inserters))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def note(self) -> str:
        rng = self.rng
        return rng.choice(NOTES).format(w=rng.choice(EN_OBJECTS)[4:], v=rng.choice(EN_OBJECTS)[4:])

    def refresh_public_counts(self) -> int:
        """Recount every generated proposition's public stances per side, in one query, as refresh_public_counts() does.

        A proposition became a contradiction when its last needed piece was
        approved: the later of the earliest public stance on each side, where a
        stance is public from when its claim, proposition and itself are all approved.
        """
        tallies: dict[int, dict] = defaultdict(dict)
        rows = (
            Stance.objects.public()
            .filter(proposition_id__in=self.proposition_ids)
            .values_list("proposition_id", "side")
            .annotate(
                n=Count("pk"),
                first=Min(Greatest("first_approved_at", "claim__first_approved_at", "proposition__first_approved_at")),
            )
            .order_by()
        )
        for proposition_id, side, count, first in rows:
            tallies[proposition_id][side] = (count, first)
        propositions = list(Proposition.objects.filter(pk__in=self.proposition_ids).only("pk"))
        for proposition in propositions:
            tally = tallies.get(proposition.pk, {})
            proposition.supports_count = tally.get(Side.SUPPORTS, (0, None))[0]
            proposition.disputes_count = tally.get(Side.DISPUTES, (0, None))[0]
            proposition.qualifies_count = tally.get(Side.QUALIFIES, (0, None))[0]
            proposition.became_contradiction_at = (
                max(tally[Side.SUPPORTS][1], tally[Side.DISPUTES][1])
                if Side.SUPPORTS in tally and Side.DISPUTES in tally
                else None
            )
        Proposition.objects.bulk_update(
            propositions,
            ["supports_count", "disputes_count", "qualifies_count", "became_contradiction_at"],
            batch_size=500,
        )
        return sum(1 for proposition in propositions if proposition.became_contradiction_at)


class CorpusError(Exception):
    """The corpus cannot be written into this database; the message says why."""


@dataclass(frozen=True)
class CorpusSummary:
    claims: int
    sources: int
    actors: int
    propositions: int
    contradictions: int
    seed: int
    with_fixed_set: bool
    seconds: float
    questions: int = 0

    def __str__(self) -> str:
        fixed = "the fixed benchmark set and " if self.with_fixed_set else ""
        return (
            f"Generated {fixed}{self.claims} claims in {self.sources} sources by {self.actors} actors on "
            f"{self.propositions} propositions ({self.contradictions} contradictions) and {self.questions} questions, "
            f"seed {self.seed}, "
            f"in {self.seconds:.1f} s."
        )


def generate_corpus(*, claims: int, seed: int, stdout=None) -> CorpusSummary:
    """Write ``claims`` claims for ``seed`` (and the fixed benchmark set if the database lacks it).

    Raises CorpusError for a negative count or a seed already written. Everything
    is written in one transaction; readers' cached pages are forgotten once, after it.
    """
    if claims < 0:
        raise CorpusError("--claims must be 0 or more.")
    if Source.objects.filter(url__startswith=f"{CORPUS_URL}/{seed}/").exists():
        raise CorpusError(
            f"This database already holds the corpus for seed {seed}; use another --seed or a fresh database."
        )
    with_fixed_set = not Actor.objects.filter(slug=BENCH_ACTOR_SLUG).exists()
    began = time.monotonic()
    tune_sqlite()
    total = claims + (FIXED_SET_CLAIMS if with_fixed_set else 0)
    with transaction.atomic(), tqdm(total=total, desc="claims", unit="claim", disable=None) as progress:
        analysts, reviewers = corpus_accounts()
        if with_fixed_set:
            writer = CorpusWriter(random.Random("bench-fixed-set"), analysts, reviewers, progress)
            write_fixed_set(writer)
            writer.refresh_public_counts()
            writer.reset_sequences()
        writer = CorpusWriter(random.Random(seed), analysts, reviewers, progress)
        counts = write_corpus(writer, claims, seed)
        contradictions = writer.refresh_public_counts() if claims else 0
        writer.reset_sequences()
        rebuild_search_index(stdout)
        rebuild_position_changes()  # kept by save() signals too (reader.positions): found once, here
    # Bulk inserts send no signals: the pages cached before the corpus are dropped here, once.
    public_data_written()
    return CorpusSummary(
        claims=claims,
        contradictions=contradictions,
        seed=seed,
        with_fixed_set=with_fixed_set,
        seconds=time.monotonic() - began,
        **counts,
    )


def public_data_written() -> None:
    """Bump the public data generation once (a withdrawal: nothing cached before survives)."""
    from reader.caching import bump_public_generation

    bump_public_generation()


def rebuild_search_index(stdout) -> None:
    """The search index is kept by save() signals, which bulk inserts do not send: rebuild it."""
    if "rebuild_search_index" in get_commands():
        call_command("rebuild_search_index", stdout=stdout)


def tune_sqlite() -> None:
    """One big write: skip fsyncs, keep temporary data in memory. The data is rebuilt if lost."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return  # SQLite refuses to change the safety level inside a transaction (as in tests).
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute("PRAGMA cache_size=-262144")


def corpus_accounts() -> tuple[list[int], list[int]]:
    """The analysts and reviewers the corpus is recorded and reviewed by (they cannot log in)."""
    User = get_user_model()
    ids = {}
    for role, group_name, count in (("analyst", ANALYSTS, 6), ("reviewer", REVIEWERS, 3)):
        group = Group.objects.get(name=group_name)
        ids[role] = []
        for number in range(1, count + 1):
            user, created = User.objects.get_or_create(
                username=f"corpus-{role}-{number}",
                defaults={"first_name": "Corpus", "last_name": f"{role.title()} {number}"},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(group)
            ids[role].append(user.pk)
    return ids["analyst"], ids["reviewer"]


# ---------------------------------------------------------------------------
# The random corpus


def actor_specs(rng: random.Random, count: int, seed: int) -> list[tuple[str, str, str, str]]:
    taken: set[str] = set()
    specs = []
    for index in range(count):
        kind = weighted(rng, ACTOR_KINDS)
        for _attempt in range(20):
            name = actor_name(rng, kind)
            if name not in taken:
                break
        else:
            name = f"{name} ({rng.choice(PLACES)} office)"
        taken.add(name)
        description = ""
        if rng.random() < 0.3:
            description = f"Quoted on **{rng.choice(EN_OBJECTS)[4:]}** and {rng.choice(EN_OBJECTS)[4:]}, mostly from {rng.choice(PLACES)}."
        specs.append((name, f"{slugify(name)[:60].strip('-')}-c{seed}-{index}", kind, description))
    return specs


def actor_name(rng: random.Random, kind: str) -> str:
    if kind == ActorKind.PERSON:
        return f"{rng.choice(EN_FIRST_NAMES)} {rng.choice(EN_LAST_NAMES)}"
    body = rng.choice(BODY_NAMES[kind])
    if kind == ActorKind.GOVERNMENT:
        return f"{body} of {rng.choice(['Pakistan', 'Afghanistan', 'Khyber Pakhtunkhwa', 'Balochistan', rng.choice(PLACES)])}"
    if kind == ActorKind.MEDIA_OUTLET:
        return f"{rng.choice(PLACES)} {body}" if body != "Radio" else f"Radio {rng.choice(PLACES)}"
    return f"{rng.choice(PLACES)} {body}"


def proposition_specs(rng: random.Random, count: int, seed: int) -> list[tuple[str, str, str]]:
    specs = []
    for index in range(count):
        fill = {"P": rng.choice(PLACES), "M": rng.choice(MONTHS), "Y": rng.randint(2019, 2025)}
        statement = f"{rng.choice(STATEMENT_SUBJECTS)} {rng.choice(STATEMENT_PREDICATES)}.".format(**fill)
        description = ""
        if rng.random() < 0.5:
            description = f"Contested since {fill['M']} {fill['Y']}. See the *{rng.choice(OUTLETS)}* coverage."
        specs.append((statement, f"{slugify(statement)[:60].strip('-')}-c{seed}-{index}", description))
    return specs


QUESTION_TEXTS = {
    ValueType.DATE: "When did the {P} talks of {Y} begin?",
    ValueType.QUANTITY: "How many people were killed at {P} in {M} {Y}?",
}


def question_specs(rng: random.Random, count: int, seed: int) -> list[tuple[str, str, str]]:
    specs = []
    for index in range(count):
        value_type = ValueType.DATE if index % 2 == 0 else ValueType.QUANTITY
        fill = {"P": rng.choice(PLACES), "M": rng.choice(MONTHS), "Y": rng.randint(2015, 2025)}
        text = QUESTION_TEXTS[value_type].format(**fill)
        specs.append((text, f"{slugify(text)[:60].strip('-')}-q{seed}-{index}", value_type))
    return specs


def write_corpus(writer: CorpusWriter, claims: int, seed: int) -> dict:
    if not claims:
        return {"sources": 0, "actors": 0, "propositions": 0, "questions": 0}
    rng = writer.rng
    actor_count = max(2, claims // CLAIMS_PER_ACTOR)
    actors = writer.actors(actor_specs(rng, actor_count, seed))
    voices = [Voice(actor.pk, actor.kind) for actor in actors]
    rng.shuffle(voices)
    for person in [actor for actor in actors if actor.kind == ActorKind.PERSON and rng.random() < 0.5]:
        person.affiliation = rng.choice([actor for actor in actors[:50] if actor.kind != ActorKind.PERSON] or [None])
    Actor.objects.bulk_update(actors, ["affiliation"], batch_size=1000)
    voice_weights = zipf_cumulative(len(voices), 0.8)
    media = [voice for voice in voices if voice.kind == ActorKind.MEDIA_OUTLET]

    topics = writer.propositions(
        proposition_specs(rng, max(1, claims // CLAIMS_PER_PROPOSITION), seed), PROPOSITION_STATES
    )
    rng.shuffle(topics)
    topic_weights = zipf_cumulative(len(topics), 0.7)

    source_count = max(1, claims // CLAIMS_PER_SOURCE)
    plans = [SourcePlan(weighted(rng, LANGUAGES), text_length(rng), 0) for _ in range(source_count)]
    for plan, count in zip(plans, allocate(claims, [plan.length for plan in plans]), strict=True):
        plan.claims = count
        plan.voices = rng.choices(voices, cum_weights=voice_weights, k=rng.randint(2, 6))

    question_claims: list[Said] = []
    for first in range(0, source_count, SOURCES_PER_CHUNK):
        chunk = list(enumerate(plans[first : first + SOURCES_PER_CHUNK], start=first))
        written = writer.sources(chunk, lambda index: f"{CORPUS_URL}/{seed}/{index}", OUTLETS)
        claim_specs = []
        for (_index, plan), (source, text) in zip(chunk, written, strict=True):
            created = datetime.datetime.combine(source.published_on or EPOCH.date(), datetime.time(9), datetime.UTC)
            for _ in range(plan.claims):
                claimant = rng.choice(plan.voices)
                reporter = rng.choice(media) if media and rng.random() < 0.15 else None
                claim_specs.append(
                    {
                        "source": source,
                        "text": text,
                        "sentence": rng.randrange(len(text.sentences)),
                        "claimant": claimant.pk,
                        "reported_by": reporter.pk if reporter and reporter.pk != claimant.pk else None,
                        "states": CLAIM_STATES,
                        "created_at": min(EPOCH, created + datetime.timedelta(days=rng.randint(0, 60))),
                    }
                )
        stance_specs = []
        written_claims = writer.claims(claim_specs)
        question_claims += written_claims[: max(1, len(written_claims) // 10)]
        for claim in written_claims:
            links = rng.random()
            count = 2 if links < 0.1 else 1 if links < 0.6 else 0
            chosen = {
                topics[index].pk: topics[index]
                for index in rng.choices(range(len(topics)), cum_weights=topic_weights, k=count)
            }
            for topic in chosen.values():
                supports, disputes = topic.lean
                roll = rng.random()
                side = (
                    Side.SUPPORTS
                    if roll < supports
                    else Side.DISPUTES
                    if roll < supports + disputes
                    else Side.QUALIFIES
                )
                stance_specs.append((claim, topic, side, STANCE_STATES))
        writer.stances(stance_specs)
    question_count = claims // CLAIMS_PER_QUESTION
    writer.questions(question_specs(rng, question_count, seed), question_claims, (2, 6))
    return {"sources": source_count, "actors": actor_count, "propositions": len(topics), "questions": question_count}


# ---------------------------------------------------------------------------
# The fixed benchmark set

BENCH_CLAIMANTS = [
    ("Gul Rahman Stanekzai", ActorKind.PERSON),
    ("Border Police of Khyber", ActorKind.GOVERNMENT),
    ("Saima Qureshi", ActorKind.PERSON),
    ("Tirah Traders' Association", ActorKind.OTHER),
    ("Radio Torkham", ActorKind.MEDIA_OUTLET),
    ("Wahid Shinwari", ActorKind.PERSON),
    ("Khyber Elders' Council", ActorKind.OTHER),
    ("Nadia Afridi", ActorKind.PERSON),
]
# The non-public stances on the bench contradiction: they must not be counted or shown.
BENCH_HIDDEN_STANCES = [ReviewState.PENDING, ReviewState.PENDING, ReviewState.DRAFT, ReviewState.REJECTED]
BENCH_TOPICS = 5
BENCH_CONTRADICTION_SOURCES = 4
FIXED_SET_CLAIMS = BENCH_ACTOR_CLAIMS + BENCH_CONTRADICTION_CLAIMS + len(BENCH_HIDDEN_STANCES)


def write_fixed_set(writer: CorpusWriter) -> None:
    """The records the benchmark aims at, identical in every database."""
    rng = writer.rng
    actor, *claimants = writer.actors(
        [
            (
                "Bench Five Hundred Ministry",
                BENCH_ACTOR_SLUG,
                ActorKind.GOVERNMENT,
                f"The benchmark's prolific speaker: exactly {BENCH_ACTOR_CLAIMS} approved claims.",
            ),
            *[(name, f"bench-claimant-{number}", kind, "") for number, (name, kind) in enumerate(BENCH_CLAIMANTS, 1)],
        ]
    )
    approved = {ReviewState.APPROVED: 1}
    contradiction, *topics = writer.propositions(
        [
            (
                "The Torkham crossing was closed for forty days in 2023.",
                BENCH_CONTRADICTION_SLUG,
                f"The benchmark's contradiction: exactly {BENCH_CONTRADICTION_CLAIMS} public claims, "
                "16 supporting, 16 disputing, 8 qualifying, and a few that are *not* public yet.",
            ),
            *[
                (f"The Torkham crossing talks of {2018 + number} failed.", f"bench-topic-{number}", "")
                for number in range(1, BENCH_TOPICS + 1)
            ],
        ],
        approved,
    )
    plans = [
        (index, SourcePlan("fa" if index == 7 else "ar" if index == 13 else "en", 12_000, 0))
        for index in range(BENCH_SOURCES)
    ]
    plans[0][1].length = 20_000
    written = writer.sources(plans, lambda index: f"https://bench.example.org/sources/{index + 1}", OUTLETS)
    created = EPOCH - datetime.timedelta(days=200)

    # Bench sources 1–4 carry the contradiction's claims, every bench source 25 of the prolific
    # actor's claims; no sentence is quoted twice in one source.
    per_source = BENCH_ACTOR_CLAIMS // BENCH_SOURCES
    per_contradiction_source = (BENCH_CONTRADICTION_CLAIMS + len(BENCH_HIDDEN_STANCES)) // BENCH_CONTRADICTION_SOURCES
    specs = []
    for index, (source, text) in enumerate(written):
        sentences = iter(rng.sample(range(len(text.sentences)), per_source + per_contradiction_source))
        claimants_here = [actor] * per_source
        if index < BENCH_CONTRADICTION_SOURCES:
            claimants_here += [
                claimants[(index + number) % len(claimants)] for number in range(per_contradiction_source)
            ]
        for claimant in claimants_here:
            specs.append(
                {
                    "source": source,
                    "text": text,
                    "sentence": next(sentences),
                    "claimant": claimant.pk,
                    "states": approved,
                    "created_at": created,
                }
            )
    claims = writer.claims(specs)
    others = [claim for claim in claims if claim.claimant_id != actor.pk]
    stance_specs = []
    for position, claim in enumerate(others[:BENCH_CONTRADICTION_CLAIMS]):
        side = Side.SUPPORTS if position % 5 in (0, 2) else Side.DISPUTES if position % 5 in (1, 3) else Side.QUALIFIES
        stance_specs.append((claim, contradiction, side, approved))
    for claim, state in zip(others[BENCH_CONTRADICTION_CLAIMS:], BENCH_HIDDEN_STANCES, strict=True):
        stance_specs.append((claim, contradiction, Side.DISPUTES, {state: 1}))
    mine = [claim for claim in claims if claim.claimant_id == actor.pk]
    for position, claim in enumerate(mine[::2]):
        side = Side.SUPPORTS if position % 3 else Side.DISPUTES
        stance_specs.append((claim, topics[position % len(topics)], side, approved))
    writer.stances(stance_specs)
    bench_question = [("When did the Torkham crossing close in 2023?", BENCH_QUESTION_SLUG, ValueType.DATE)]
    answers = (BENCH_QUESTION_ANSWERS, BENCH_QUESTION_ANSWERS)
    writer.questions(bench_question, others[:BENCH_QUESTION_ANSWERS], answers, answer_states=approved)
