"""The search index: one row per public record, in a table the full-text engine reads.

Only public records have a row (see search.index). On SQLite an FTS5 table
mirrors this one through triggers; on PostgreSQL a generated ``tsvector``
column with a GIN index sits on it. Both are created by the 0002 migration,
outside the model, because they differ by database.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    PROPOSITION = "proposition", _("Contradiction")
    QUESTION = "question", _("Disputed fact")
    CLAIM = "claim", _("Claim")
    ACTOR = "actor", _("Actor")
    SOURCE = "source", _("Source")


class SearchEntry(models.Model):
    kind = models.CharField(max_length=12, choices=EntryKind)
    object_id = models.PositiveBigIntegerField()
    # Ranked highest: a quote, a statement, a name, a title.
    title = models.TextField()
    # Ranked next: a paraphrase, aliases and description, outlet and authors.
    body = models.TextField(blank=True)
    # Ranked lowest and never shown: who said a claim, who reported it.
    context = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_record"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"
