"""Reviewed translations of claims' exact quotes, and of sources' summaries.

A translation never stands in for the quote: readers always see the original,
which alone is anchored into the source text, and the translation under it,
labelled with the original's language, whether a person or a machine made it,
and that a reviewer checked it. Translations pass through review like every
other record (draft → pending → approved / rejected, revisions of approved
ones). At most one translation per quote (or summary) and language is approved
at a time: a better one is proposed as a revision of it, or replaces it once
it is withdrawn.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, Proposition, Stance, pages_added_to, require_approved
from claims.review import Reviewable, ReviewableQuerySet, ReviewError, ReviewState
from sources.models import Source
from sources.text import has_visible_text, strip_bidi_controls, text_direction

# A translated quote or summary is a few sentences; a page of text is not a translation of one.
TRANSLATION_MAX_LENGTH = 10_000


class TranslationLanguage(models.TextChoices):
    """The languages translations are made into: those the disputes are argued in, and the desk's others."""

    ENGLISH = "en", _("English")
    URDU = "ur", _("Urdu")
    PERSIAN = "fa", _("Persian")
    PASHTO = "ps", _("Pashto")
    ARABIC = "ar", _("Arabic")
    TURKISH = "tr", _("Turkish")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    CHINESE = "zh", _("Chinese")


class TranslationKind(models.TextChoices):
    HUMAN = "human", _("Human")
    MACHINE = "machine", _("Machine")


# How the public label names the kind: "Translation from Pashto, human, reviewed".
KIND_WORDS = {TranslationKind.HUMAN: _("human"), TranslationKind.MACHINE: _("machine")}


def primary_language(tag: str) -> str:
    """The primary subtag of a BCP 47 tag, lower case: "fa" for "fa-AF"."""
    return (tag or "").split("-")[0].strip().lower()


def language_name(tag: str) -> str:
    """The name of a language tag's language ("Pashto" for "ps"), or the tag itself when it is not one we name."""
    primary = primary_language(tag)
    if primary in TranslationLanguage.values:
        return str(TranslationLanguage(primary).label)
    return tag


def validate_translation_length(value: str) -> None:
    if len(value) > TRANSLATION_MAX_LENGTH:
        raise ValidationError(
            _("A translation is at most %(limit)s characters; this one has %(length)s. Translate the quote only.")
            % {"limit": f"{TRANSLATION_MAX_LENGTH:,}", "length": f"{len(value):,}"},
            code="max_length",
        )


class TranslationQuerySet(ReviewableQuerySet):
    def public(self):
        """Approved translations of approved claims or sources."""
        return self.filter(state=ReviewState.APPROVED).filter(
            Q(claim__state=ReviewState.APPROVED) | Q(source__state=ReviewState.APPROVED)
        )


class Translation(Reviewable):
    """A translation of one claim's exact quote, or of one source's summary (exactly one of the two)."""

    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("claim"),
        help_text=_("The claim whose exact quote is translated."),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summary_translations",
        verbose_name=_("source"),
        help_text=_("For a translated summary of a whole source, instead of a claim."),
    )
    language = models.CharField(_("language"), max_length=8, choices=TranslationLanguage)
    text = models.TextField(_("translation"), validators=[validate_translation_length])
    translator = models.CharField(
        _("translator"), max_length=200, help_text=_("Who translated it: a person, or e.g. “Desk translation team”.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TranslationKind, default=TranslationKind.HUMAN)
    notes = models.TextField(_("notes"), blank=True, help_text=_("For reviewers: choices made, doubts. Not public."))

    objects = TranslationQuerySet.as_manager()

    REVISABLE_FIELDS = ("text", "translator", "kind", "notes")
    NAME_FIELDS = ("translator",)

    class Meta:
        ordering = ["language", "pk"]
        permissions = [("review_translation", "Can approve and reject translations")]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim__isnull=False, source__isnull=True) | Q(claim__isnull=True, source__isnull=False),
                name="translation_of_claim_or_source",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="translation_text_not_empty"),
            models.CheckConstraint(condition=~Q(translator=""), name="translation_translator_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=TranslationKind.values), name="translation_kind_valid"),
            models.CheckConstraint(
                condition=Q(language__in=TranslationLanguage.values), name="translation_language_valid"
            ),
            # Readers see one translation per quote and language: the approved one.
            models.UniqueConstraint(
                fields=["claim", "language"],
                condition=Q(state=ReviewState.APPROVED, claim__isnull=False),
                name="translation_one_approved_per_claim",
            ),
            models.UniqueConstraint(
                fields=["source", "language"],
                condition=Q(state=ReviewState.APPROVED, source__isnull=False),
                name="translation_one_approved_per_source",
            ),
        ]
        indexes = [
            # Public pages: the approved translations of a page of claims (claim__in=…, state).
            models.Index(fields=["claim", "state"], name="translation_claim_state_idx"),
            # Source page: a source's approved summary translations.
            models.Index(fields=["source", "state"], name="translation_source_state_idx"),
            # awaiting_review(): the reviewers' queue, oldest first.
            models.Index(fields=["state", "submitted_at"], name="translation_queue_idx"),
            # Desk: an analyst's own translations, latest change first.
            models.Index(fields=["created_by", "-updated_at"], name="translation_mine_idx"),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 60 else f"{self.text[:57]}…"
        return f"{self.get_language_display()}: “{text}”"

    def get_absolute_url(self):
        if self.claim_id:
            return self.claim.get_absolute_url()
        return self.source.get_absolute_url()

    @classmethod
    def record(cls, **fields) -> "Translation":
        """Create the translation as a draft once it is checked; ValidationError names the field refused."""
        translation = cls(state=ReviewState.DRAFT, **fields)
        translation.full_clean()
        translation.save()
        return translation

    @property
    def original(self):
        """The claim or source translated."""
        return self.claim if self.claim_id else self.source

    @property
    def original_language(self) -> str:
        """The language tag of what is translated: the quote's source's language, or the source's."""
        return self.claim.source.language if self.claim_id else self.source.language

    @property
    def label(self) -> str:
        """What readers see above it: "Translation from Pashto, human, reviewed"."""
        return _("Translation from %(language)s, %(kind)s, reviewed") % {
            "language": language_name(self.original_language),
            "kind": KIND_WORDS.get(self.kind, self.kind),
        }

    @property
    def direction(self) -> str:
        return text_direction(self.language)

    def clean(self):
        self.text = strip_bidi_controls(self.text or "").strip()
        self.translator = strip_bidi_controls(self.translator or "").strip()
        super().clean()
        errors = {}
        if not has_visible_text(self.text):
            errors["text"] = _("The translation has no visible characters: write the translated words.")
        if not has_visible_text(self.translator):
            errors["translator"] = _("Say who translated it: a person, or e.g. “Desk translation team”.")
        if (self.claim_id is None) == (self.source_id is None):
            errors["claim"] = _("A translation is of one claim's quote or of one source's summary.")
        elif self.language and primary_language(self.language) == primary_language(self.original_language):
            errors["language"] = _("The original is in %(language)s already: translate it into another language.") % {
                "language": language_name(self.original_language)
            }
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # A translation is our text, not evidence: bidi controls in it could disguise it, whatever path saves it.
        self.text = strip_bidi_controls(self.text)
        super().save(*args, **kwargs)

    def dependencies(self):
        return [(_("Its claim"), self.claim)] if self.claim_id else [(_("Its source"), self.source)]

    def check_approvable(self) -> None:
        if self.claim_id:
            require_approved((_("its claim"), Claim, self.claim_id))
            others = Translation.objects.filter(claim=self.claim_id)
        else:
            require_approved((_("its source"), Source, self.source_id))
            others = Translation.objects.filter(source=self.source_id)
        if others.filter(state=ReviewState.APPROVED, language=self.language).exclude(pk=self.pk).exists():
            raise ReviewError(
                _(
                    "An approved %(language)s translation of this is public already: propose a change to it, "
                    "or return it to draft first."
                )
                % {"language": self.get_language_display()}
            )

    def pages_added_to(self) -> set[tuple[str, int]]:
        """Approving a translation adds it wherever its claim is shown: its actors', source's, propositions' and questions' pages."""
        if not self.claim_id:
            return {("source", self.source_id)}
        claim = Claim.objects.filter(pk=self.claim_id).values_list("claimant_id", "reported_by_id", "source_id").get()
        stances = Stance.objects.filter(claim=self.claim_id, state=ReviewState.APPROVED)
        propositions = set(
            Proposition.objects.filter(pk__in=stances.values("proposition_id")).values_list("pk", flat=True)
        )
        questions = {("question", pk) for pk in self.claim.answers.values_list("question_id", flat=True)}
        return pages_added_to(propositions, [claim]) | questions
