"""``{% fragment key %}…{% endfragment %}``: markup kept in the cache under a key the view made.

The key comes from ``reader.caching.fragment_key`` (or ``desk_fragment_key``),
which names everything the fragment depends on, so a template never builds a
key itself. A fragment must close every element it opens.
"""

from django import template

from reader.caching import kept_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            raise template.TemplateSyntaxError(
                "{% fragment %} needs a key made by the view (reader.caching.fragment_key)."
            )
        return kept_fragment(key, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("Usage: {% fragment key %}…{% endfragment %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))
