"""The translation catalogues (locale/<lang>/LC_MESSAGES/django.po) are complete and fit the layout.

- Every message the code and templates mark is in the committed catalogues: the
  catalogue is made again from the sources, in a copy of the tree, and compared.
  A failure means someone marked a string and did not run `make messages`.
- Every message is translated in Urdu, Persian and Pashto, and none is fuzzy.
- A translation of a short interface string (40 characters of English or fewer)
  is at most twice as long plus 12 characters, so buttons and headings keep
  their place.

These fail until the translators have finished, by design: they name what is missing.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = ("ur", "fa", "ps")
SHORT = 40  # characters of English: an interface string that must keep to its place
ROOT = Path(settings.BASE_DIR)
# What makemessages leaves out, as `make messages` does.
IGNORED = (".venv", ".git", "bench", "tests", "staticfiles", "var", "node_modules", "__pycache__")


def catalogue(language: str, root: Path = ROOT) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


def keys(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def listed(entries, limit: int = 25) -> str:
    names = [f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid!r}" for entry in entries]
    more = f"\n  … and {len(names) - limit} more" if len(names) > limit else ""
    return "\n  " + "\n  ".join(names[:limit]) + more


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> polib.POFile:
    """The Urdu catalogue made afresh from the sources, in a copy of the tree (the committed one is left alone)."""
    copy = tmp_path_factory.mktemp("tree") / "tree"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*IGNORED, "*.mo", "*.sqlite3*"))
    command = [sys.executable, "manage.py", "makemessages", "-l", "ur", "--no-obsolete", "--verbosity", "0"]
    for folder in IGNORED:
        command += ["--ignore", f"{folder}/*"]
    subprocess.run(command, cwd=copy, check=True, capture_output=True)  # noqa: S603 - our own command
    return catalogue("ur", copy)


def test_the_committed_catalogues_have_every_message_the_sources_mark(regenerated):
    marked = keys(regenerated)
    for language in LANGUAGES:
        committed = keys(catalogue(language))
        missing = [entry for entry in regenerated if (entry.msgctxt, entry.msgid) in marked - committed]
        assert not missing, f"locale/{language} lacks messages the sources mark; run `make messages`:{listed(missing)}"


def test_every_language_has_the_same_messages():
    english = keys(catalogue(LANGUAGES[0]))
    for language in LANGUAGES[1:]:
        assert keys(catalogue(language)) == english, f"locale/{language} and locale/{LANGUAGES[0]} differ"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    untranslated = [entry for entry in po.untranslated_entries() if not entry.obsolete]
    fuzzy = [entry for entry in po.fuzzy_entries() if not entry.obsolete]
    assert not untranslated, (
        f"{len(untranslated)} messages are not translated in locale/{language}:{listed(untranslated)}"
    )
    assert not fuzzy, f"{len(fuzzy)} translations are fuzzy in locale/{language}:{listed(fuzzy)}"


def too_long(english: str, translation: str) -> bool:
    return len(english) <= SHORT and bool(translation) and len(translation) > 2 * len(english) + 12


@pytest.mark.parametrize("language", LANGUAGES)
def test_short_interface_strings_stay_short(language):
    long = []
    for entry in catalogue(language):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            forms = entry.msgstr_plural.values()
            if any(too_long(entry.msgid_plural, form) for form in forms):
                long.append(entry)
        elif too_long(entry.msgid, entry.msgstr):
            long.append(entry)
    assert not long, (
        f"In locale/{language}, these translations of short strings are longer than twice the English "
        f"plus 12 characters:{listed(long)}"
    )


def test_the_length_rule_counts_characters_of_the_english():
    assert not too_long("Search", "جستجو")
    assert not too_long("Search", "x" * 24)
    assert too_long("Search", "x" * 25)
    assert not too_long("x" * 41, "y" * 500)  # long strings wrap; only short ones are held
