"""{% word_diff old new as words %}: two wordings of a field, with what changed marked word by word."""

from django import template

from claims.wording import WordDiff, diff_words

register = template.Library()


@register.simple_tag
def word_diff(old, new) -> WordDiff:
    return diff_words("" if old is None else str(old), "" if new is None else str(new))
