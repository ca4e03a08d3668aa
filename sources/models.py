from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from claims.review import Reviewable, ReviewableQuerySet, ReviewError, ReviewState
from sources.dates import DatePrecision, format_partial_date, precision_constraint_q
from sources.fetching import FetchRefused, normalize_address
from sources.text import has_visible_text, normalize_text, text_checksum, text_direction


def address_key(url: str) -> str:
    """The key two addresses of one page share ("" for no address or one that cannot be read)."""
    if not url:
        return ""
    try:
        return normalize_address(url)[:2000]
    except FetchRefused:
        return url[:2000]


class SourceTextChanged(ValidationError):
    """Raised when something tries to change the text that claims are anchored into."""


class SourceQuerySet(ReviewableQuerySet):
    def public(self):
        """Sources readers may see: approved, with at least one approved claim."""
        from claims.models import Claim

        approved = Claim.objects.filter(source=OuterRef("pk"), state=ReviewState.APPROVED)
        return self.filter(state=ReviewState.APPROVED).filter(Exists(approved))

    def find_duplicate(self, *, url: str, text: str = ""):
        """An existing source with the same address (normalized) or the same normalized text, or None."""
        condition = Q(pk__in=[])
        if text:
            condition |= Q(checksum=text_checksum(normalize_text(text)))
        if url:
            condition |= Q(url=url) | Q(address_key=address_key(url))
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
    # The address with what does not change the page taken out (scheme and host case, default port,
    # tracking parameters, fragment): two addresses of one page have one key.
    address_key = models.CharField(_("normalized address"), max_length=2000, blank=True, editable=False)
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
            # Duplicates by address.
            models.Index(fields=["address_key"], name="source_address_idx"),
            # API: every public source, newest first (cursor pagination by id).
            models.Index(fields=["state", "-id"], name="source_state_idx"),
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
        self.address_key = address_key(self.url)
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


class CaptureQuerySet(models.QuerySet):
    def without_archive(self):
        """Captures without their WARC bytes, for lists."""
        return self.defer("warc")

    def archived(self):
        return self.filter(warc__isnull=False)

    def unclaimed(self, *, older_than=None):
        """Captures previewed at the desk and not (yet) saved as a source."""
        from django.utils import timezone

        captures = self.filter(source__isnull=True)
        return captures if older_than is None else captures.filter(retrieved_at__lt=timezone.now() - older_than)


class Capture(models.Model):
    """One retrieval of a web source's page: what its address said, when, byte for byte.

    The first capture is made when an analyst imports a source from its address;
    re-checks add more. ``warc`` holds the exact response (status line, headers
    and body) as a gzipped WARC record, with the redirects that led to it in a
    metadata record. A re-check whose body is identical to an archived capture of
    the same source keeps no second copy (``warc`` is null; ``archived_copy()``
    finds the first). Captures are facts about the page, not claims about the
    world, so they are not reviewed; what readers see of them is limited to
    sources readers already see.
    """

    class Purpose(models.TextChoices):
        IMPORT = "import", _("import")
        RECHECK = "recheck", _("re-check")

    class Outcome(models.TextChoices):
        """What a re-check found, for the whole page."""

        UNCHANGED = "unchanged", _("unchanged")
        CHANGED = "changed", _("changed")
        GONE = "gone", _("page gone")
        UNREACHABLE = "unreachable", _("not reached")

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, null=True, blank=True, related_name="captures", verbose_name=_("source")
    )
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose, default=Purpose.IMPORT)
    requested_url = models.URLField(_("requested address"), max_length=2000)
    final_url = models.URLField(_("final address"), max_length=2000, blank=True)
    retrieved_at = models.DateTimeField(_("retrieved"))
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    encoding = models.CharField(_("decoded as"), max_length=40, blank=True)
    body_sha256 = models.CharField(_("SHA-256 of the body"), max_length=64, blank=True)
    body_size = models.PositiveIntegerField(_("body size in bytes"), default=0)
    warc = models.BinaryField(_("WARC record (gzip)"), null=True, blank=True, editable=False)
    text = models.TextField(_("extracted text"), blank=True)
    problem = models.CharField(_("why the page was not captured"), max_length=500, blank=True)
    outcome = models.CharField(_("re-check result"), max_length=12, choices=Outcome, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaptureQuerySet.as_manager()

    class Meta:
        ordering = ["-retrieved_at", "-pk"]
        indexes = [models.Index(fields=["source", "-retrieved_at"], name="capture_source_idx")]

    def __str__(self):
        return f"{self.final_url or self.requested_url} ({self.retrieved_at:%Y-%m-%d %H:%M} UTC)"

    def get_absolute_url(self):
        return reverse("reader:capture", args=[self.source_id, self.pk])

    @property
    def succeeded(self) -> bool:
        return not self.problem

    def archived_copy(self) -> "Capture | None":
        """The capture whose WARC holds this capture's body: itself, or the first identical one."""
        if self.warc is not None:
            return self
        if not self.body_sha256 or self.source_id is None:
            return None
        return (
            Capture.objects.filter(source_id=self.source_id, body_sha256=self.body_sha256)
            .archived()
            .order_by("retrieved_at", "pk")
            .first()
        )


class QuoteCheck(models.Model):
    """Where a claim's quote stands in a re-checked page."""

    class Outcome(models.TextChoices):
        PRESENT = "present", _("still present")
        MOVED = "moved", _("moved")
        ALTERED = "altered", _("altered")
        GONE = "gone", _("gone")

    capture = models.ForeignKey(Capture, on_delete=models.CASCADE, related_name="quote_checks")
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="quote_checks")
    outcome = models.CharField(_("result"), max_length=8, choices=Outcome)
    # Where the quote (or, for ALTERED, its nearest match) is in the capture's text.
    found_start = models.PositiveIntegerField(null=True, blank=True)
    found_end = models.PositiveIntegerField(null=True, blank=True)
    found_text = models.TextField(_("text found"), blank=True)

    class Meta:
        ordering = ["claim__start", "pk"]
        constraints = [models.UniqueConstraint(fields=["capture", "claim"], name="quote_check_unique")]

    def __str__(self):
        return f"{self.claim_id}: {self.get_outcome_display()}"
