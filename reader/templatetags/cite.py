"""The "Cite" disclosure of claims and contradictions: a reference to copy and the three files to download.

The reference names our permanent address, so it is absolute: the pages that
show it keep it in fragments whose keys hold the page's own absolute address.
It carries no access date, since a page is kept and shown on later days; the
downloads carry the day they were made.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext

from reader import citations

register = template.Library()


def _cite(citation: citations.Citation, url_name: str, args: list, subject: str) -> dict:
    return {
        "reference": citations.reference(citation),
        "subject": subject,
        "downloads": [
            (found.label, found.content_type.split(";")[0], reverse(url_name, args=[*args, extension]))
            for extension, found in citations.FORMATS.items()
        ],
    }


@register.inclusion_tag("reader/_cite.html", takes_context=True)
def cite_claim(context, claim, source=None):
    """Cite a public claim; pass its ``source`` where the claims were read without it (the source page)."""
    url = context["request"].build_absolute_uri(claim.get_absolute_url())
    citation = citations.claim_citation(claim, url=url, source=source)
    return _cite(
        citation,
        "reader:claim_citation",
        [claim.pk],
        gettext("the claim of %(claimant)s") % {"claimant": citation.authors[0]},
    )


@register.inclusion_tag("reader/_cite.html", takes_context=True)
def cite_question(context, question, answers, last_reviewed):
    url = context["request"].build_absolute_uri(question.get_absolute_url())
    claimants = [answer.claim.claimant.name for answer in answers]
    citation = citations.question_citation(question, claimants, last_reviewed, url=url)
    return _cite(citation, "reader:question_citation", [question.slug], gettext("this question"))


@register.inclusion_tag("reader/_cite.html", takes_context=True)
def cite_contradiction(context, proposition, stances, last_reviewed):
    url = context["request"].build_absolute_uri(proposition.get_absolute_url())
    citation = citations.contradiction_citation(proposition, stances, last_reviewed, url=url)
    subject = gettext("this contradiction") if proposition.is_contradiction else gettext("this proposition")
    return _cite(citation, "reader:contradiction_citation", [proposition.slug], subject)
