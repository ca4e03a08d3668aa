"""Writers for the load check, run by bench/run.py beside the server on the same database.

Each thread records a claim through the ORM, submits and approves it, links
it to a proposition and approves the stance, over and over, until the process
receives SIGTERM. Then it prints one JSON line: writes done, errors and the
first few error messages.
"""

import json
import os
import random
import signal
import sys
import threading
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.corpus import Prose  # noqa: E402
from bench.prepare import REVIEWER, WRITER  # noqa: E402
from claims.models import Actor, Claim, Proposition, Side, Stance  # noqa: E402
from sources.models import Source  # noqa: E402

THREADS = int(os.environ.get("BENCH_WRITER_THREADS", "2"))
stop = threading.Event()


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.writes, self.errors, self.messages = 0, 0, []

    def add(self, *, error: str = "") -> None:
        with self.lock:
            if error:
                self.errors += 1
                if len(self.messages) < 5:
                    self.messages.append(error)
            else:
                self.writes += 1


def setting_up():
    """The writers' source, claimant and proposition (created once per database)."""
    User = get_user_model()
    analyst, reviewer = User.objects.get(username=WRITER), User.objects.get(username=REVIEWER)
    text = Prose(random.Random("bench-writer"), "en").text(25_000)
    source, _ = Source.objects.get_or_create(
        url="https://bench.example.org/load/writer-source",
        defaults={"title": "Load check: the writers' source", "text": text.text, "created_by": analyst},
    )
    claimant, _ = Actor.objects.get_or_create(slug="bench-load-writer", defaults={"name": "Load Check Writer"})
    # A claim is approved only once its source and its claimant are (where they are reviewed).
    for record in (source, claimant):
        if getattr(record, "state", "approved") != "approved":
            record.submit(analyst)
            record.approve(reviewer)
    proposition, created = Proposition.objects.get_or_create(
        slug="bench-load-writes",
        defaults={"statement": "The load check writes while readers read.", "created_by": analyst},
    )
    if created:
        proposition.submit(analyst)
        proposition.approve(reviewer)
    return analyst, reviewer, source, text.sentences, claimant, proposition


def approved_claim(analyst, reviewer, source, sentence: tuple[int, int], claimant, paraphrase: str) -> Claim:
    """``claimant``'s claim quoting ``sentence`` (start, end) of ``source``, by ``analyst``, approved by ``reviewer``."""
    start, end = sentence
    with transaction.atomic():
        claim = Claim.record(
            source=source,
            quote=source.text[start:end],
            position=start,
            claimant=claimant,
            paraphrase=paraphrase,
            created_by=analyst,
        )
    claim.submit(analyst)
    claim.approve(reviewer)
    return claim


def submitted_stance(claim, proposition, side: str, analyst) -> Stance:
    """``claim``'s stance on ``proposition``, made and submitted for review by ``analyst``."""
    stance = Stance.objects.create(claim=claim, proposition=proposition, side=side, created_by=analyst)
    stance.submit(analyst)
    return stance


def write_once(rng, analyst, reviewer, source, sentences, claimant, proposition) -> None:
    claim = approved_claim(analyst, reviewer, source, rng.choice(sentences), claimant, "Written by the load check.")
    submitted_stance(claim, proposition, rng.choice(Side.values), analyst).approve(reviewer)


def work(number: int, setup, tally: Tally) -> None:
    rng = random.Random(number)
    try:
        while not stop.is_set():
            try:
                write_once(rng, *setup)
            except Exception as error:
                tally.add(error=f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}")
            else:
                tally.add()
    finally:
        connection.close()


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    setup = setting_up()
    tally = Tally()
    threads = [threading.Thread(target=work, args=(number, setup, tally)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    print("ready", flush=True)
    while any(thread.is_alive() for thread in threads):
        threads[0].join(0.2)
    print(json.dumps({"writes": tally.writes, "errors": tally.errors, "messages": tally.messages}), flush=True)


if __name__ == "__main__":
    main()
