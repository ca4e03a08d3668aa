"""Run inside the app's environment (the server's settings and database) by bench/run.py.

Gives the corpus's first analyst a fresh random password (the benchmark logs
in as them: their drafts and pending work fill the desk), makes sure the
writers' accounts exist, resolves the page table to paths, counts the claims, and prints
all of it as JSON on stdout.
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
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.staticfiles.storage import staticfiles_storage  # noqa: E402
from django.core.exceptions import ObjectDoesNotExist  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from bench.pages import PAGES, STATIC_FILE, Page  # noqa: E402
from claims.models import Claim  # noqa: E402
from claims.roles import ANALYSTS, REVIEWERS  # noqa: E402

# Accounts generate_corpus records and reviews the corpus with.
ANALYST, WRITER, REVIEWER = "corpus-analyst-1", "corpus-analyst-2", "corpus-reviewer-1"


def bench_account(username: str, group: str, password: str | None) -> None:
    user, created = get_user_model().objects.get_or_create(username=username)
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=group))


def resolve(page: Page) -> dict:
    """The page's path, or why it is missing."""
    row = {"name": page.name, "kind": page.kind}
    try:
        if page.kind == "static":
            path = staticfiles_storage.url(STATIC_FILE)
        else:
            path = reverse(page.url_name, args=page.args())
    except NoReverseMatch:
        return {**row, "missing": f"no URL named {page.url_name}"}
    except ObjectDoesNotExist as error:
        return {**row, "missing": f"target not in the database ({error})"}
    except ValueError as error:  # a static file missing from the manifest
        return {**row, "missing": str(error)}
    return {**row, "path": f"{path}?{page.query}" if page.query else path}


def main() -> None:
    password = secrets.token_urlsafe(16)
    bench_account(ANALYST, ANALYSTS, password)
    bench_account(WRITER, ANALYSTS, None)
    bench_account(REVIEWER, REVIEWERS, None)
    pages = [resolve(page) for page in PAGES]
    json.dump(
        {
            "login": reverse("login"),
            "analyst": ANALYST,
            "password": password,
            "pages": pages,
            "claims": Claim.objects.count(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
