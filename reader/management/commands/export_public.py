"""Export the public dataset — approved records only — as JSON Lines."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.models import Actor, Answer, Claim, Proposition, Question, Stance, Translation
from reader.public_json import actor_json, claim_json, source_json, translation_json
from reader.questions import answer_value_json, question_record
from sources.models import Source


class Command(BaseCommand):
    help = (
        "Write every public record (sources with their text, actors, propositions, questions, claims, answers, stances, "
        "translations) "
        "as JSON Lines: "
        'one object per line, each with a "type". Drafts, pending and rejected work are never included.'
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
        parser.add_argument(
            "--base-url", default="", help="prefix for the addresses in the export, e.g. https://claims.example.org"
        )

    def handle(self, *args, output: Path | None, base_url: str, **options):
        base = base_url.rstrip("/")

        def absolute(path: str) -> str:
            return f"{base}{path}"

        try:
            handle = output.open("w", encoding="utf-8") if output else self.stdout
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error}") from None
        count = 0
        try:
            for record in self.records(absolute):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        finally:
            if output:
                handle.close()
        if output:
            self.stdout.write(self.style.SUCCESS(f"Exported {count} public records to {output}."))

    def records(self, absolute):
        for source in Source.objects.public().order_by("pk").iterator(chunk_size=100):
            yield {"type": "source", **source_json(source, absolute), "text": source.text, "checksum": source.checksum}
        for actor in Actor.objects.public().select_related("affiliation").order_by("pk").iterator(chunk_size=500):
            yield {
                "type": "actor",
                **actor_json(actor, absolute),
                "aliases": actor.alias_list,
                "affiliation": actor_json(actor.affiliation, absolute),
                "description": actor.description,
            }
        for proposition in Proposition.objects.public().order_by("pk").iterator(chunk_size=500):
            yield {
                "type": "proposition",
                "slug": proposition.slug,
                "statement": proposition.statement,
                "description": proposition.description,
                "url": absolute(proposition.get_absolute_url()),
                "is_contradiction": proposition.is_contradiction,
            }
        claims = Claim.objects.public().select_related("claimant", "reported_by", "source").defer("source__text")
        for claim in claims.order_by("pk").iterator(chunk_size=500):
            yield {"type": "claim", **claim_json(claim, absolute)}
        for question in (
            Question.objects.public().prefetch_related("propositions").order_by("pk").iterator(chunk_size=500)
        ):
            yield {
                **question_record(question, absolute),
                "related_propositions": [
                    proposition.slug for proposition in question.propositions.all() if proposition.is_public
                ],
            }
        answers = Answer.objects.public().select_related("question", "actor")
        for answer in answers.order_by("pk").iterator(chunk_size=500):
            yield {
                "type": "answer",
                "claim": answer.claim_id,
                "question": answer.question.slug,
                "stated_as": answer.value_text,
                "value": answer.value_display,
                **answer_value_json(answer),
            }
        for stance in Stance.objects.public().select_related("proposition").order_by("pk").iterator(chunk_size=500):
            yield {
                "type": "stance",
                "claim": stance.claim_id,
                "proposition": stance.proposition.slug,
                "side": stance.side,
                "note": stance.note,
            }
        translations = Translation.objects.public().order_by("pk")
        for translation in translations.iterator(chunk_size=500):
            yield {
                "type": "translation",
                "claim": translation.claim_id,
                "source": translation.source_id,
                **translation_json(translation),
            }
