"""Names and titles shown without the bidi controls that could disguise them.

A name such as "Government of \u202enatsikaP" shows as "Government of Pakistan"
reversed, and an override left open runs on over the text after it. Forms strip
these controls from names, titles, paraphrases and statements (see
``sources.text.BidiControlsStrippedMixin``); these filters do it again on display,
for records saved before that or by other paths.

- ``{{ actor.name|isolate }}`` in running text: the controls stripped and the
  value in ``<bdi>``, so a right-to-left name cannot reorder what is around it.
- ``{{ actor.name|strip_bidi }}`` where markup cannot go: ``<title>``, ``<option>``,
  attributes, and HTML that is already rendered (the admin's list cells).

Quotes and source text are evidence and stay exactly as written: they are shown
in elements with their own ``dir``, which isolates them.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

from sources.text import strip_bidi_controls

register = template.Library()


@register.filter(is_safe=True)
def strip_bidi(value):
    """``value`` without bidi embedding, override and isolate controls; safe HTML stays safe."""
    if value is None:
        return ""
    stripped = strip_bidi_controls(str(value))
    # Removing these characters cannot make markup, so HTML that was safe stays safe.
    return mark_safe(stripped) if isinstance(value, SafeData) else stripped  # noqa: S308


@register.filter
def isolate(value):
    """``value`` stripped of bidi controls, escaped, in a ``<bdi>`` element."""
    return format_html("<bdi>{}</bdi>", conditional_escape(strip_bidi(value)))
