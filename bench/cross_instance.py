"""Run inside the app's environment by bench/run.py before its cross-instance check.

Writes what the check approves and withdraws through the review queue: a new
approved claim on the writers' source, linked to the benchmark's contradiction
by a stance that waits for review. Gives a reviewer staff access and a fresh
random password, and prints as JSON where the queue and the contradiction are,
the queue key of the stance and the mark its claim leaves on the page
(``id="claim-<pk>"``).

``python bench/cross_instance.py state <stance pk>`` prints the stance's review state,
to tell a review the queue refused from a page that did not change.
"""

import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.corpus import BENCH_CONTRADICTION_SLUG  # noqa: E402
from bench.prepare import REVIEWER, WRITER  # noqa: E402
from bench.writer import approved_claim, setting_up, submitted_stance  # noqa: E402
from claims.models import Proposition, Side, Stance  # noqa: E402


def set_up() -> dict:
    analyst, reviewer, source, sentences, claimant, _ = setting_up()
    password = secrets.token_urlsafe(16)
    reviewer.is_staff = True  # the review queue is in the admin
    reviewer.set_password(password)
    reviewer.save()
    paraphrase = "Approved through one instance, read through the other."
    claim = approved_claim(analyst, reviewer, source, sentences[len(sentences) // 2], claimant, paraphrase)
    proposition = Proposition.objects.get(slug=BENCH_CONTRADICTION_SLUG)
    stance = submitted_stance(claim, proposition, Side.DISPUTES, analyst)
    return {
        "reviewer": reviewer.username,
        "password": password,
        "queue": reverse("admin:review_queue"),
        "page": reverse("reader:contradiction", args=[BENCH_CONTRADICTION_SLUG]),
        "item": f"stance:{stance.pk}",
        "stance": stance.pk,
        "mark": f'id="claim-{claim.pk}"',
    }


def main() -> None:
    if sys.argv[1:2] == ["state"]:
        print(Stance.objects.get(pk=int(sys.argv[2])).state)
        return
    assert get_user_model().objects.filter(username__in=[WRITER, REVIEWER]).count() == 2, "run bench/prepare.py first"
    json.dump(set_up(), sys.stdout)


if __name__ == "__main__":
    main()
