"""The languages the site speaks, and what Django needs to know about them.

English is the default and has no address prefix; Urdu, Persian (Dari) and
Pashto are served under /ur/, /fa/ and /ps/. Django's table of languages
(``django.conf.locale.LANG_INFO``) has no entry for Pashto, so
``get_language_info("ps")`` and ``{% get_language_info %}`` would fail on it:
``complete_language_info`` adds what is missing. It is called from the settings
module, before any request is served.
"""

from django.conf import locale

# Each language's name in that language: the switcher shows it so that a reader finds their own.
LANGUAGES = [
    ("en", "English"),
    ("ur", "اردو"),
    ("fa", "فارسی (دری)"),
    ("ps", "پښتو"),
]

# Written right to left. Django's default list has fa and ur but not ps.
LANGUAGES_BIDI = ["he", "ar", "ar-dz", "ckb", "fa", "ps", "ug", "ur"]

MISSING_LANGUAGE_INFO = {
    "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
}


def complete_language_info() -> None:
    """Add to Django's table the languages it lacks (idempotent)."""
    for code, info in MISSING_LANGUAGE_INFO.items():
        locale.LANG_INFO.setdefault(code, info)
