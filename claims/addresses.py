"""Former slugs: a public address that had to change still leads to its record.

An actor's, a proposition's or a question's slug is its permanent public
address: nothing in the desk or the admin changes it once the record exists.
When one must change all the same (a migration that renames it), the old slug
is kept here, and every reader's address made with it (the page, its JSON, its
citations, its embed card, the API) answers with a permanent redirect to the
same address made with the current slug, as long as the record is public. A
record that is not public is not found under either slug, so a former slug
never tells readers anything about a record they may not see.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FormerSlug(models.Model):
    class Kind(models.TextChoices):
        ACTOR = "actor", _("actor")
        PROPOSITION = "proposition", _("proposition")
        QUESTION = "question", _("question")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    slug = models.SlugField(_("former slug"), max_length=80)
    record_id = models.PositiveBigIntegerField(_("record"))
    created_at = models.DateTimeField(_("kept since"), auto_now_add=True)

    class Meta:
        verbose_name = _("former slug")
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="former_slug_unique")]

    def __str__(self):
        return f"{self.kind} {self.slug} → #{self.record_id}"


def kind_of(model) -> str:
    """The ``FormerSlug.Kind`` of records of ``model`` (Actor, Proposition, Question)."""
    return FormerSlug.Kind(model._meta.model_name)


def former_slugs(model, prefix: str) -> set[str]:
    """Former slugs of ``model``'s records that start with ``prefix``: no new record may take one."""
    return set(FormerSlug.objects.filter(kind=kind_of(model), slug__startswith=prefix).values_list("slug", flat=True))


def current_public_slug(model, slug: str) -> str | None:
    """The slug of the public record of ``model`` once known by ``slug``, or None."""
    former = FormerSlug.objects.filter(kind=kind_of(model), slug=slug).values_list("record_id", flat=True).first()
    if former is None:
        return None
    return model.objects.public().filter(pk=former).values_list("slug", flat=True).first()
