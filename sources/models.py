from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from claims.review import Reviewable, ReviewableQuerySet, ReviewError, ReviewState
from sources.dates import DatePrecision, format_partial_date, precision_constraint_q
from sources.text import has_visible_text, normalize_text, text_checksum, text_direction


class SourceTextChanged(ValidationError):
    """Raised when something tries to change the text that claims are anchored into."""


class SourceQuerySet(ReviewableQuerySet):
    def public(self):
        """Sources readers may see: approved, with at least one approved claim."""
        from claims.models import Claim

        approved = Claim.objects.filter(source=OuterRef("pk"), state=ReviewState.APPROVED)
        return self.filter(state=ReviewState.APPROVED).filter(Exists(approved))

    def find_duplicate(self, *, url: str, text: str):
        """An existing source with the same URL or the same normalized text, or None."""
        condition = Q(checksum=text_checksum(normalize_text(text)))
        if url:
            condition |= Q(url=url)
        return self.filter(condition).first()


class Source(Reviewable):
    """A document claims come from, with its text as anchored.

    The text never changes once a claim is anchored into it. What readers see
    besides it (title, address, outlet, authors, date, language, notes) is
    reviewed: a claim is approved only once its source is, and an edit of an
    approved source is a revision.
    """

    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    authors = models.CharField(_("author(s)"), max_length=500, blank=True, help_text=_("Separate several with commas."))
    published_on = models.DateField(_("published"), null=True, blank=True)
    published_precision = models.CharField(
        _("published date precision"), max_length=8, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )
    language = models.CharField(
        _("language"), max_length=35, default="en", help_text=_("BCP 47 tag, e.g. en, fa, ur, ps, ar.")
    )
    text = models.TextField(_("text"), help_text=_("Normalized plain text. Quotes are anchored into it."))
    checksum = models.CharField(_("SHA-256 of the text"), max_length=64, editable=False)
    notes = models.TextField(_("provenance notes"), blank=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The same text imported twice would split its claims across two copies.
            models.UniqueConstraint(fields=["checksum"], name="source_unique_checksum"),
            # Same for the same address; many sources have no URL at all.
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_unique_url"),
            models.CheckConstraint(condition=~Q(text=""), name="source_text_not_empty"),
            models.CheckConstraint(
                condition=precision_constraint_q("published_on", "published_precision"),
                name="source_published_precision",
            ),
        ]
        indexes = [
            # Desk home: the latest sources.
            models.Index(fields=["-created_at"], name="source_created_idx"),
            # awaiting_review(): the reviewers' queue, oldest first.
            models.Index(fields=["state", "submitted_at"], name="source_queue_idx"),
            # Desk home: an analyst's own sources, latest change first.
            models.Index(fields=["created_by", "-updated_at"], name="source_mine_idx"),
        ]
        permissions = [("review_source", "Can approve and reject sources")]

    REVISABLE_FIELDS = ("title", "url", "outlet", "authors", "published_on", "published_precision", "language", "notes")
    NAME_FIELDS = ("title", "outlet", "authors")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.text and not has_visible_text(self.text):
            raise ValidationError(
                {"text": _("The text has no visible characters: paste or upload the source's words.")}
            )

    def save(self, *args, **kwargs):
        # The URL becomes a link on public pages, so whatever path saves it (forms,
        # imports, the shell), it must be what the field accepts: no javascript: URLs.
        if self.url:
            self._meta.get_field("url").run_validators(self.url)
        self.text = normalize_text(self.text)
        if not has_visible_text(self.text):
            raise ValidationError(
                {"text": _("The text has no visible characters: paste or upload the source's words.")}
            )
        checksum = text_checksum(self.text)
        if self.pk and checksum != self.checksum and self.claims.exists():
            raise SourceTextChanged(
                _(
                    "The text of “%(title)s” cannot change: claims are anchored into it. Import the new text as a new source."
                )
                % {"title": self.title}
            )
        self.checksum = checksum
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reader:source", args=[self.pk])

    @property
    def direction(self) -> str:
        return text_direction(self.language)

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published_on, self.published_precision)

    @property
    def author_list(self) -> list[str]:
        return [name.strip() for name in self.authors.split(",") if name.strip()]

    def check_withdrawable(self) -> None:
        if self.claims.filter(state=ReviewState.APPROVED).exists():
            raise ReviewError(_("Readers see this source with approved claims: return those claims to draft first."))
