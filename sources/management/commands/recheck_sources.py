"""python manage.py recheck_sources [--source ID] [--older-than 7d]: fetch web sources again and check their quotes.

A page that is gone or cannot be reached is a result, recorded like any
other; the command fails (exit status 1) only when a source could not be
re-checked at all because of an error, after trying every other source.
"""

import re
import traceback
from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Q
from django.utils import timezone
from tqdm import tqdm

from config.middleware import parse_id
from sources.models import Capture, QuoteCheck, Source
from sources.recheck import recheck_source

_AGE = re.compile(r"^([0-9]{1,6})([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_age(value: str) -> timedelta:
    """``12h``, ``7d``, ``2w`` as a timedelta; CommandError for anything else."""
    match = _AGE.match(value.strip().lower())
    if not match:
        raise CommandError(
            f"--older-than takes a whole number and a unit, h (hours), d (days) or w (weeks), "
            f"such as 12h, 7d or 2w; “{value}” is not one."
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


class _AsWritten:
    """A command's output stream for tqdm: text written as it comes, without the added newline or colour."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> None:
        self._stream.write(text, style_func=str, ending="")

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()


class Command(BaseCommand):
    help = (
        "Fetch each web source's address again, keep the capture, and record for every claim whether its quote "
        "is still there, moved, altered or gone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", metavar="ID", help="re-check only this source")
        parser.add_argument(
            "--older-than",
            metavar="AGE",
            help="skip sources captured more recently than this, e.g. 12h, 7d or 2w",
        )

    def handle(self, *args, source=None, older_than=None, verbosity=1, **options):
        sources = Source.objects.exclude(url="").defer("text").order_by("pk")
        if source is not None:
            pk = parse_id(source)
            if pk is None:
                raise CommandError(f"--source takes a source's id, a whole number; “{source}” is not one.")
            if not Source.objects.filter(pk=pk).exclude(url="").exists():
                raise CommandError(f"There is no source {pk} with an address to re-check.")
            sources = sources.filter(pk=pk)
        if older_than is not None:
            cutoff = timezone.now() - parse_age(older_than)
            latest = Max("captures__retrieved_at")
            sources = sources.alias(latest=latest).filter(Q(latest__isnull=True) | Q(latest__lte=cutoff))

        pages, quotes, failed = Counter(), Counter(), []
        ids = list(sources.values_list("pk", flat=True))
        out, err = _AsWritten(self.stdout), _AsWritten(self.stderr)
        # On a terminal, or always with -v 2; never with -v 0.
        hidden = True if verbosity == 0 else None if verbosity == 1 else False
        progress = tqdm(ids, desc="re-check", unit="source", file=err, disable=hidden)
        for pk in progress:
            try:
                recheck = recheck_source(Source.objects.get(pk=pk))
            except Exception:  # one source's failure must not stop the others; reported below
                failed.append(pk)
                progress.write(f"Source {pk} could not be re-checked:\n{traceback.format_exc()}", file=err)
                continue
            pages[recheck.capture.outcome] += 1
            for check in recheck.checks:
                quotes[check.outcome] += 1
            if verbosity >= 2:
                progress.write(f"Source {pk}: {recheck.summary()}", file=out)
        progress.close()

        if verbosity:
            self.stdout.write(self.summary(len(ids) - len(failed), pages, quotes))
        if failed:
            raise CommandError(
                f"{len(failed)} source{'s' if len(failed) != 1 else ''} could not be re-checked because of an error "
                f"(see above): {', '.join(map(str, failed))}."
            )

    @staticmethod
    def summary(done: int, pages: Counter, quotes: Counter) -> str:
        page_part = ", ".join(f"{pages[value]} {label}" for value, label in Capture.Outcome.choices)
        quote_part = ", ".join(f"{quotes[value]} {label}" for value, label in QuoteCheck.Outcome.choices)
        return f"Re-checked {done} source{'s' if done != 1 else ''}: pages {page_part}; quotes {quote_part}."
