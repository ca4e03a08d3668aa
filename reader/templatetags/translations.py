from django import template

from reader.translations import shown_translations as split

register = template.Library()


@register.simple_tag
def shown_translations(translations, preferred_language):
    """A quote's approved translations as shown: the reader's preferred language open, the others folded."""
    return split(translations, preferred_language)
