"""``generate_corpus --claims N [--seed S]``: the benchmark's corpus, written by bench/corpus.py."""

from django.core.management.base import BaseCommand, CommandError

from bench.corpus import (
    BENCH_ACTOR_CLAIMS,
    BENCH_ACTOR_SLUG,
    BENCH_CONTRADICTION_CLAIMS,
    BENCH_CONTRADICTION_SLUG,
    CorpusError,
    generate_corpus,
)


class Command(BaseCommand):
    help = (
        "Generate a large, realistic corpus for benchmarks: N claims with sources, actors, propositions, stances "
        "and review history, deterministic for a given --seed, plus (once per database) the fixed benchmark set: "
        f"the contradiction “{BENCH_CONTRADICTION_SLUG}” with {BENCH_CONTRADICTION_CLAIMS} public claims and the actor "
        f"“{BENCH_ACTOR_SLUG}” with {BENCH_ACTOR_CLAIMS} approved claims."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, help="number of claims, besides the fixed set")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1); same seed, same corpus")

    def handle(self, *args, claims: int, seed: int, **options):
        try:
            summary = generate_corpus(claims=claims, seed=seed, stdout=self.stdout)
        except CorpusError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
