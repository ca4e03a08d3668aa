"""Form fields shared by the desk and the admin."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from claims.markup import MARKDOWN_MAX_LENGTH, render_markdown


class MarkdownField(forms.CharField):
    """A description or note in Markdown, at most MARKDOWN_MAX_LENGTH characters.

    The text is rendered while the form is validated, before any transaction
    starts; render_markdown keeps the result, so the save that follows (inside
    its transaction) does not render it again.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", format_lazy(_("Markdown, at most {limit} characters."), limit=f"{MARKDOWN_MAX_LENGTH:,}")
        )
        super().__init__(**kwargs)

    # No maxlength on the textarea: a browser would silently cut a longer paste. The
    # server refuses it with a message that gives the length, and the text stays in the form.

    def validate(self, value):
        super().validate(value)
        render_markdown(value)  # refuses text over the limit with its own message
