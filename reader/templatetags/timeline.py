"""The ``{% claims_timeline stances %}`` tag: draws the layout of reader.timeline as SVG."""

from dataclasses import fields

from django import template

from reader.timeline import layout

register = template.Library()


@register.inclusion_tag("reader/_timeline.html")
def claims_timeline(stances) -> dict:
    timeline = layout(stances)
    context = {f.name: getattr(timeline, f.name) for f in fields(timeline)}
    context |= {"lane_label_x": timeline.lane_label_x, "lane_label_anchor": timeline.lane_label_anchor}
    return context
