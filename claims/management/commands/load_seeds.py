import tomllib
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from claims.models import Actor, Answer, Claim, Proposition, Question, ReviewState, Stance
from claims.questions import ValueType, read_value
from claims.roles import system_account
from claims.translations import Translation, TranslationKind, TranslationLanguage
from claims.values import InvalidValue
from reader.caching import writing_in_bulk
from search.sync import indexing_once
from sources.anchoring import AnchorError, anchor_quote
from sources.dates import parse_partial_date
from sources.models import Source
from sources.text import normalize_text

DEFAULT_PATH = Path(settings.BASE_DIR) / "seeds" / "annotations.toml"


class Command(BaseCommand):
    help = (
        "Load the seed sources, actors, propositions, claims, stances, questions, answers and translations from seeds/annotations.toml, "
        "approved by the system account. Safe to run again: only differences are written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_PATH, help="annotations file (TOML)")

    def handle(self, *args, path: Path, **options):
        data = self.read(path)
        texts = self.validate(data, path.parent)
        self.counts = Counter()
        # One change of the public and desk generations at the end, instead of cache work per record, and
        # each record indexed for search once.
        with transaction.atomic(), writing_in_bulk(), indexing_once():
            self.system = system_account()
            sources = {entry["key"]: self.load_source(entry, texts[entry["key"]]) for entry in data["sources"]}
            actors = self.load_actors(data["actors"])
            propositions = {entry["slug"]: self.load_proposition(entry) for entry in data["propositions"]}
            claims = {}
            for entry in tqdm(data["claims"], desc="claims", unit="claim", disable=None):
                claims[entry["key"]] = self.load_claim(entry, sources, actors, propositions)
            for entry in data.get("questions", []):
                self.load_question(entry, claims, propositions)
            for entry in data.get("translations", []):
                self.load_translation(entry, claims)
        changed = self.counts["created"] + self.counts["updated"] + self.counts["approved"]
        summary = (
            f"{len(data['sources'])} sources, {len(data['actors'])} actors, "
            f"{len(data['propositions'])} propositions, {len(data['claims'])} claims, "
            f"{len(data.get('questions', []))} questions, {len(data.get('translations', []))} translations"
        )
        if changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeds loaded ({summary}): {self.counts['created']} created, "
                    f"{self.counts['updated']} updated, {self.counts['approved']} approved."
                )
            )
        else:
            self.stdout.write(f"Seeds already loaded ({summary}): nothing to change.")

    def read(self, path: Path) -> dict:
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            raise CommandError(f"No seed file at {path}.") from None
        except tomllib.TOMLDecodeError as error:
            raise CommandError(f"{path} is not valid TOML: {error}") from None

    def validate(self, data: dict, folder: Path) -> dict[str, str]:
        """Validate references and anchor every quote before writing anything."""
        problems, texts = [], {}
        for entry in data.get("sources", []):
            try:
                texts[entry["key"]] = normalize_text((folder / entry["file"]).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as error:
                problems.append(f"source {entry['key']}: cannot read {entry['file']}: {error}")
        actor_slugs = {entry["slug"] for entry in data.get("actors", [])}
        proposition_slugs = {entry["slug"] for entry in data.get("propositions", [])}
        for entry in data.get("claims", []):
            key = entry.get("key", "?")
            for field in ("claimant", "reported_by"):
                if entry.get(field) and entry[field] not in actor_slugs:
                    problems.append(f"claim {key}: unknown {field} actor {entry[field]!r}")
            for stance in entry.get("stances", []):
                if stance["proposition"] not in proposition_slugs:
                    problems.append(f"claim {key}: unknown proposition {stance['proposition']!r}")
            try:
                parse_partial_date(entry.get("asserted", ""))
            except ValueError as error:
                problems.append(f"claim {key}: {error}")
            if entry.get("source") not in texts:
                problems.append(f"claim {key}: unknown source {entry.get('source')!r}")
                continue
            try:
                anchor_quote(texts[entry["source"]], entry["quote"], prefix=entry.get("prefix", ""))
            except AnchorError as error:
                problems.append(f"claim {key}: {error}")
        claim_keys = {entry.get("key") for entry in data.get("claims", [])}
        for entry in data.get("questions", []):
            slug = entry.get("slug", "?")
            if entry.get("value_type") not in ValueType.values:
                problems.append(f"question {slug}: unknown value_type {entry.get('value_type')!r}")
                continue
            question = Question(value_type=entry["value_type"], unit=entry.get("unit", ""))
            for proposition in entry.get("propositions", []):
                if proposition not in proposition_slugs:
                    problems.append(f"question {slug}: unknown proposition {proposition!r}")
            for answer in entry.get("answers", []):
                if answer.get("claim") not in claim_keys:
                    problems.append(f"question {slug}: unknown claim {answer.get('claim')!r}")
                if entry["value_type"] != ValueType.ACTOR:  # actors exist only once loaded
                    try:
                        read_value(question, answer.get("value", ""))
                    except InvalidValue as error:
                        problems.append(f"question {slug}, answer of {answer.get('claim')}: {error}")
        for entry in data.get("translations", []):
            claim = entry.get("claim", "?")
            if claim not in claim_keys:
                problems.append(f"translation of {claim}: unknown claim")
            if entry.get("language") not in TranslationLanguage.values:
                problems.append(f"translation of {claim}: unknown language {entry.get('language')!r}")
            if entry.get("kind") not in TranslationKind.values:
                problems.append(f"translation of {claim}: unknown kind {entry.get('kind')!r}")
        if problems:
            raise CommandError("The seed file has problems; nothing was loaded:\n  " + "\n  ".join(problems))
        return texts

    def sync(self, instance, values: dict) -> bool:
        """Set ``values`` on ``instance``; return True if anything differed."""
        changed = [name for name, value in values.items() if instance.pk is None or getattr(instance, name) != value]
        for name in changed:
            setattr(instance, name, values[name])
        return bool(changed)

    def save(self, instance, values: dict):
        if instance.pk is None:
            self.sync(instance, values)
            instance.save()
            self.counts["created"] += 1
        elif self.sync(instance, values):
            instance.save()
            self.counts["updated"] += 1
        return instance

    def publish(self, record):
        if record.state == ReviewState.APPROVED:
            return
        if record.state in (ReviewState.DRAFT, ReviewState.REJECTED):
            record.submit(self.system)
        record.approve(self.system, reason="Seed data", four_eyes=False)
        self.counts["approved"] += 1

    def load_source(self, entry: dict, text: str) -> Source:
        published_on, precision = parse_partial_date(entry.get("published", ""))
        source = Source.objects.find_duplicate(url=entry.get("url", ""), text=text) or Source(created_by=self.system)
        source = self.save(
            source,
            {
                "title": entry["title"],
                "url": entry.get("url", ""),
                "outlet": entry.get("outlet", ""),
                "authors": entry.get("authors", ""),
                "language": entry.get("language", "en"),
                "published_on": published_on,
                "published_precision": precision,
                "notes": entry.get("notes", ""),
                "text": text,
            },
        )
        self.publish(source)
        return source

    def load_actors(self, entries: list[dict]) -> dict[str, Actor]:
        actors, created = {}, set()
        for entry in entries:
            actor = Actor.objects.filter(slug=entry["slug"]).first() or Actor(
                slug=entry["slug"], created_by=self.system
            )
            if actor.pk is None:
                created.add(entry["slug"])
            actors[entry["slug"]] = self.save(
                actor,
                {
                    "name": entry["name"],
                    "kind": entry.get("kind", "other"),
                    "aliases": "\n".join(entry.get("aliases", [])),
                    "description": entry.get("description", ""),
                },
            )
        for entry in entries:  # affiliations may point forward in the file
            actor = actors[entry["slug"]]
            affiliation = actors.get(entry.get("affiliation") or "")
            if actor.affiliation_id != (affiliation.pk if affiliation else None):
                actor.affiliation = affiliation
                actor.save()
                # Linking an actor created in this run is part of creating it.
                self.counts["updated"] += entry["slug"] not in created
        # An actor is approved after its affiliation (a chain of affiliations has no cycle).
        waiting = list(actors.values())
        while waiting:
            ready = [actor for actor in waiting if actor.affiliation is None or actor.affiliation.is_public]
            for actor in ready:
                self.publish(actor)
            waiting = [actor for actor in waiting if actor not in ready]
        return actors

    def load_proposition(self, entry: dict) -> Proposition:
        proposition = Proposition.objects.filter(slug=entry["slug"]).first() or Proposition(
            slug=entry["slug"], created_by=self.system
        )
        self.save(proposition, {"statement": entry["statement"], "description": entry.get("description", "")})
        self.publish(proposition)
        return proposition

    def load_claim(self, entry: dict, sources, actors, propositions) -> None:
        source = sources[entry["source"]]
        anchor = anchor_quote(source.text, entry["quote"], prefix=entry.get("prefix", ""))
        asserted_on, precision = parse_partial_date(entry.get("asserted", ""))
        claim = Claim.objects.filter(source=source, start=anchor.start, end=anchor.end).first() or Claim(
            source=source, created_by=self.system
        )
        values = {
            "claimant": actors[entry["claimant"]],
            "reported_by": actors.get(entry.get("reported_by") or ""),
            "quote": anchor.exact,
            "start": anchor.start,
            "end": anchor.end,
            "prefix": anchor.prefix,
            "suffix": anchor.suffix,
            "paraphrase": entry["paraphrase"],
            "asserted_on": asserted_on,
            "asserted_precision": precision,
        }
        if claim.pk is None:
            self.sync(claim, values)
            claim.full_clean()
        self.save(claim, values)
        self.publish(claim)
        for item in entry.get("stances", []):
            proposition = propositions[item["proposition"]]
            stance = Stance.objects.filter(claim=claim, proposition=proposition).first() or Stance(
                claim=claim, proposition=proposition, created_by=self.system
            )
            self.save(stance, {"side": item["side"], "note": item.get("note", "")})
            if stance.state == ReviewState.APPROVED and self.counts["updated"]:
                proposition.refresh_public_counts()
            self.publish(stance)
        return claim

    def load_question(self, entry: dict, claims: dict, propositions: dict) -> Question:
        question = Question.objects.filter(slug=entry["slug"]).first() or Question(
            slug=entry["slug"], created_by=self.system
        )
        self.save(
            question,
            {
                "text": entry["text"],
                "value_type": entry["value_type"],
                "unit": entry.get("unit", ""),
                "tolerance_percent": entry.get("tolerance", 0),
                "description": entry.get("description", ""),
            },
        )
        related = [propositions[slug].pk for slug in entry.get("propositions", [])]
        if set(question.propositions.values_list("pk", flat=True)) != set(related):
            question.propositions.set(related)
        self.publish(question)
        for item in entry.get("answers", []):
            claim = claims[item["claim"]]
            answer = Answer.objects.filter(question=question, claim=claim).first() or Answer(
                question=question, claim=claim, created_by=self.system
            )
            self.save(answer, {"value_text": item["value"]})
            if answer.state == ReviewState.APPROVED and self.counts["updated"]:
                question.refresh_public_state()
            self.publish(answer)
        return question

    def load_translation(self, entry: dict, claims: dict) -> Translation:
        claim = claims[entry["claim"]]
        # The approved one first: "approved" sorts before the other states.
        found = Translation.objects.filter(claim=claim, language=entry["language"]).order_by("state", "pk").first()
        translation = found or Translation(claim=claim, language=entry["language"], created_by=self.system)
        values = {"text": entry["text"], "translator": entry["translator"], "kind": entry["kind"]}
        if translation.pk is None:
            self.sync(translation, values)
            translation.full_clean()
        self.save(translation, values)
        self.publish(translation)
        return translation
