"""The desk's forms. They validate what was typed and resolve names to records;
saving goes through the models (Claim.record, save_edit, the review methods)."""

import copy
import re

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from claims import values
from claims.forms import MarkdownField
from claims.models import Actor, ActorKind, Answer, Claim, Proposition, Question, Side, Stance, unique_slug
from claims.questions import ValueType
from claims.translations import TranslationLanguage
from config.middleware import parse_id
from sources.anchoring import AnchorError, anchor_quote
from sources.dates import iso_partial_date, parse_partial_date
from sources.importing import SourceImportError, headline, prepare_text, text_from_upload
from sources.models import Capture, Source
from sources.text import BidiControlsStrippedMixin

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# The languages the import form suggests for a source: the same ones translations are made into.
LANGUAGE_SUGGESTIONS = TranslationLanguage.choices
DATE_HELP = _("YYYY, YYYY-MM or YYYY-MM-DD; leave empty if unknown.")


def _partial_date(value: str):
    try:
        return parse_partial_date(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


# ---------------------------------------------------------------------------
# Sources


CAPTURE_SALT = "desk.source-import.capture"
# How long a fetched page waits for the analyst to save it (captures.UNCLAIMED_KEPT deletes it after).
CAPTURE_TOKEN_MAX_AGE = 20 * 60 * 60


class SourceAddressForm(forms.Form):
    """The first step of importing from an address: which page to fetch."""

    url = forms.URLField(
        label=_("Address of the page"),
        max_length=2000,
        assume_scheme="https",
        error_messages={"required": _("Enter the address of the page to fetch.")},
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Only http and https addresses can be fetched."), code="scheme")
        return url


def capture_token(capture: Capture) -> str:
    """What the import form carries to tie a fetched page to the source saved from it (signed: not forgeable)."""
    return signing.dumps({"capture": capture.pk, "user": capture.created_by_id}, salt=CAPTURE_SALT)


class SourceImportForm(BidiControlsStrippedMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("For an uploaded file, leave it empty to use the file’s first line if that is a headline."),
    )
    url = forms.URLField(label=_("URL"), max_length=2000, required=False, assume_scheme="https")
    outlet = forms.CharField(label=_("Outlet"), max_length=200, required=False)
    authors = forms.CharField(
        label=_("Author(s)"), max_length=500, required=False, help_text=_("Separate several with commas.")
    )
    published = forms.CharField(label=_("Published"), required=False, help_text=DATE_HELP)
    language = forms.CharField(
        label=_("Language"), max_length=35, initial="en", help_text=_("A language tag: en, fa, ur, ps, ar, …")
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Paste the article's text, or upload a file below."),
    )
    file = forms.FileField(
        label=_("…or upload a file"),
        required=False,
        help_text=_("A .txt, .md or .html file of at most %(size)s. HTML is reduced to its text."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm,text/plain,text/html"}),
    )
    notes = forms.CharField(
        label=_("Provenance notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}), strip=True
    )
    capture = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, max_bytes: int, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        self.fields["file"].help_text = self.fields["file"].help_text % {"size": filesizeformat(max_bytes)}
        self.duplicate: Source | None = None
        self.user = user
        self.fetched: Capture | None = None  # the page fetched from the address, when there is one

    def clean_capture(self):
        token = self.cleaned_data["capture"]
        if not token:
            return ""
        expired = ValidationError(
            _("The fetched page is no longer waiting to be saved. Fetch the address again."), code="capture"
        )
        try:
            signed = signing.loads(token, salt=CAPTURE_SALT, max_age=CAPTURE_TOKEN_MAX_AGE)
        except signing.BadSignature:
            raise expired from None
        if not isinstance(signed, dict) or self.user is None or signed.get("user") != self.user.pk:
            raise expired
        self.fetched = Capture.objects.unclaimed().without_archive().filter(pk=signed.get("capture")).first()
        if self.fetched is None:
            raise expired
        return token

    def clean_title(self):
        title = self.cleaned_data["title"]
        if not title and not self.files.get(self.add_prefix("file")):
            raise ValidationError(_("Enter a title."))  # only an uploaded file may offer its headline
        return title

    def clean_published(self):
        return _partial_date(self.cleaned_data["published"])

    def clean_language(self):
        language = self.cleaned_data["language"].strip()
        if not _LANGUAGE_TAG.match(language):
            raise ValidationError(_("Write a language tag such as en, fa, ur, ps, ar or en-GB."))
        return language

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text", ""), cleaned.get("file")
        if text.strip() and upload:
            self.add_error("text", _("Paste the text or upload a file, not both."))
            return cleaned
        if upload and self.fetched:
            self.add_error(
                "file", _("The text comes from the fetched page: correct it above instead of uploading a file.")
            )
            return cleaned
        if self.fetched and not cleaned.get("url"):
            cleaned["url"] = self.fetched.final_url or self.fetched.requested_url
        try:
            if upload:
                cleaned["text"] = text_from_upload(upload)
            else:
                cleaned["text"] = prepare_text(text)
        except SourceImportError as error:
            self.add_error("file" if upload else "text", str(error))
            return cleaned
        if upload and not cleaned.get("title") and "title" not in self.errors:
            self._title_from_headline(cleaned)
        if not self.errors:
            self.duplicate = Source.objects.find_duplicate(url=cleaned.get("url", ""), text=cleaned["text"])
        return cleaned

    def _title_from_headline(self, cleaned: dict) -> None:
        """An uploaded file's first line is its title when the analyst gave none and that line is a headline."""
        title = headline(cleaned["text"], max_length=self.fields["title"].max_length)
        if title:
            cleaned["title"] = title
        else:
            self.add_error("title", _("Enter a title: the file’s first line does not read as a headline."))

    def save(self, *, user) -> Source:
        data = self.cleaned_data
        published_on, precision = data["published"]
        with transaction.atomic():
            source = self._create(data, published_on, precision, user)
            if self.fetched is not None:
                # Only a capture still waiting is taken: two saves of one preview make one source with it.
                taken = Capture.objects.unclaimed().filter(pk=self.fetched.pk).update(source=source)
                if not taken:
                    raise ValidationError(_("The fetched page was saved as another source meanwhile."))
        return source

    def _create(self, data, published_on, precision, user) -> Source:
        return Source.objects.create(
            title=data["title"],
            url=data["url"],
            outlet=data["outlet"],
            authors=data["authors"],
            published_on=published_on,
            published_precision=precision,
            language=data["language"],
            text=data["text"],
            notes=data["notes"],
            created_by=user,
        )


# ---------------------------------------------------------------------------
# Claims


def actors_named(name: str) -> list[Actor]:
    """Actors called exactly ``name`` (any case), by name first, else by one of their aliases."""
    name = name.strip()
    candidates = list(Actor.objects.filter(Q(name__iexact=name) | Q(aliases__icontains=name)))
    by_name = [actor for actor in candidates if actor.name.casefold() == name.casefold()]
    if by_name:
        return by_name
    return [actor for actor in candidates if name.casefold() in (alias.casefold() for alias in actor.alias_list)]


def propositions_named(text: str) -> list[Proposition]:
    text = text.strip()
    return list(Proposition.objects.filter(Q(statement__iexact=text) | Q(slug=text)))


class ClaimFieldsForm(BidiControlsStrippedMixin, forms.Form):
    """What a claim says and who said it; shared by the new-claim and edit forms."""

    quote = forms.CharField(
        label=_("Exact quote"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Select it in the text, or paste it exactly as the source has it."),
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    prefix = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    suffix = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    claimant = forms.CharField(label=_("Claimant"), max_length=200, help_text=_("Who asserted it: name or alias."))
    claimant_is_new = forms.BooleanField(label=_("New actor: create it"), required=False)
    claimant_kind = forms.ChoiceField(
        label=_("Kind of new actor"), choices=ActorKind, initial=ActorKind.PERSON, required=False
    )
    paraphrase = forms.CharField(label=_("Paraphrase"), max_length=300, help_text=_("One line, in your words."))
    asserted = forms.CharField(label=_("Asserted on"), required=False, help_text=DATE_HELP)
    reported_by = forms.CharField(
        label=_("Reported by"),
        max_length=200,
        required=False,
        help_text=_("For reported speech: who reports that the claimant said it."),
    )
    reported_by_is_new = forms.BooleanField(label=_("New actor: create it"), required=False)
    reported_by_kind = forms.ChoiceField(
        label=_("Kind of new actor"), choices=ActorKind, initial=ActorKind.MEDIA_OUTLET, required=False
    )

    def __init__(self, *args, source: Source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.anchor = None

    def clean_asserted(self):
        return _partial_date(self.cleaned_data["asserted"])

    @cached_property
    def anchor_preview(self) -> tuple:
        """(anchor, message) for the panel: the validated anchor, or for an unbound form its initial quote's."""
        if self.is_bound:
            return self.anchor, ""
        quote, start = self.initial.get("quote"), str(self.initial.get("start") or "")
        if not quote:
            return None, ""
        try:
            anchor = anchor_quote(
                self.source.text,
                quote,
                prefix=self.initial.get("prefix", ""),
                suffix=self.initial.get("suffix", ""),
                position=parse_id(start),
            )
        except AnchorError as error:
            return None, str(error)
        return anchor, ""

    def clean(self):
        """Anchor the quote (``self.anchor``, the one anchoring of this save) and resolve the actors."""
        cleaned = super().clean()
        if "quote" in cleaned:
            try:
                self.anchor = anchor_quote(
                    self.source.text,
                    cleaned["quote"],
                    prefix=cleaned.get("prefix") or "",
                    suffix=cleaned.get("suffix") or "",
                    position=cleaned.get("start"),
                )
            except AnchorError as error:
                self.add_error("quote", str(error))
        for field in ("claimant", "reported_by"):
            if cleaned.get(field):
                self._resolve_actor(field)
        claimant, reporter = cleaned.get("claimant_actor"), cleaned.get("reported_by_actor")
        if claimant and reporter and (claimant is reporter or (claimant.pk and claimant.pk == reporter.pk)):
            self.add_error("reported_by", _("The claimant cannot report their own claim; leave “reported by” empty."))
        return cleaned

    def _resolve_actor(self, field: str) -> None:
        """Put the actor ``field`` names (an unsaved one if it is to be created) in cleaned_data."""
        name = " ".join(self.cleaned_data[field].split())
        if self.cleaned_data.get(f"{field}_is_new"):
            if actors_named(name):
                self.add_error(
                    field,
                    _("An actor called “%(name)s” already exists: untick “new actor” to use it.") % {"name": name},
                )
            else:
                kind = self.cleaned_data.get(f"{field}_kind") or ActorKind.OTHER
                self.cleaned_data[f"{field}_actor"] = Actor(name=name, kind=kind)
            return
        matches = actors_named(name)
        if len(matches) == 1:
            self.cleaned_data[f"{field}_actor"] = matches[0]
        elif not matches:
            self.add_error(
                field,
                _("No actor is called “%(name)s”. Pick one from the suggestions, or tick “new actor” to create it.")
                % {"name": name},
            )
        else:
            self.add_error(
                field,
                _("Several actors are called “%(name)s” (%(names)s): type the full name of the one you mean.")
                % {"name": name, "names": ", ".join(actor.name for actor in matches)},
            )

    def _saved_actor(self, field: str, user) -> Actor | None:
        actor = self.cleaned_data.get(f"{field}_actor")
        if actor is not None and actor.pk is None:
            actor.created_by = user
            actor.save()
        return actor

    def claim_fields(self, user) -> dict:
        asserted_on, precision = self.cleaned_data["asserted"]
        return {
            "claimant": self._saved_actor("claimant", user),
            "reported_by": self._saved_actor("reported_by", user),
            "paraphrase": self.cleaned_data["paraphrase"],
            "asserted_on": asserted_on,
            "asserted_precision": precision,
        }


class NewClaimForm(ClaimFieldsForm):
    proposition = forms.CharField(
        label=_("Proposition"),
        max_length=300,
        required=False,
        help_text=_("Optional: the contested statement this claim takes a side on."),
    )
    proposition_is_new = forms.BooleanField(label=_("New proposition: create it"), required=False)
    side = forms.ChoiceField(label=_("Stance"), choices=[("", _("— choose —")), *Side.choices], required=False)

    def clean(self):
        cleaned = super().clean()
        statement, side = (cleaned.get("proposition") or "").strip(), cleaned.get("side")
        if not statement:
            if side:
                self.add_error(
                    "proposition", _("Name the proposition this claim takes a side on, or clear the stance.")
                )
            return cleaned
        if not side:
            self.add_error("side", _("Choose whether the claim supports, disputes or qualifies the proposition."))
        existing = propositions_named(statement)
        if cleaned.get("proposition_is_new"):
            if existing:
                self.add_error("proposition", _("This proposition already exists: untick “new proposition” to use it."))
            else:
                cleaned["proposition_record"] = Proposition(statement=statement)
        elif existing:
            cleaned["proposition_record"] = existing[0]
        else:
            self.add_error(
                "proposition",
                _("No proposition says “%(statement)s”. Pick one from the suggestions, or tick “new proposition”.")
                % {"statement": statement},
            )
        return cleaned

    @transaction.atomic
    def save(self, *, user) -> Claim:
        """Record the claim (and any new actors, proposition and the stance) as drafts."""
        claim = Claim.record(source=self.source, anchor=self.anchor, created_by=user, **self.claim_fields(user))
        proposition = self.cleaned_data.get("proposition_record")
        if proposition is not None:
            if proposition.pk is None:
                proposition.created_by = user
                proposition.save()
            Stance.objects.create(claim=claim, proposition=proposition, side=self.cleaned_data["side"], created_by=user)
        return claim


class ClaimEditForm(ClaimFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    EDITED_FIELDS = [
        "quote", "start", "end", "prefix", "suffix", "claimant", "paraphrase",
        "asserted_on", "asserted_precision", "reported_by",
    ]  # fmt: skip

    @classmethod
    def initial_for(cls, claim: Claim) -> dict:
        return {
            "quote": claim.quote,
            "start": claim.start,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
            "claimant": claim.claimant.name,
            "paraphrase": claim.paraphrase,
            "asserted": iso_partial_date(claim.asserted_on, claim.asserted_precision),
            "reported_by": claim.reported_by.name if claim.reported_by else "",
            "version": claim.version,
        }

    @transaction.atomic
    def save(self, claim: Claim, *, user) -> Claim:
        """Save the edit; raises StaleEdit (and creates nothing) if someone saved the claim meanwhile."""
        anchor = self.anchor
        claim.quote, claim.start, claim.end = anchor.exact, anchor.start, anchor.end
        claim.prefix, claim.suffix = anchor.prefix, anchor.suffix
        for name, value in self.claim_fields(user).items():
            setattr(claim, name, value)
        claim.full_clean()
        claim.save_edit(expected_version=self.cleaned_data["version"], fields=self.EDITED_FIELDS, by=user)
        return claim


# ---------------------------------------------------------------------------
# Propositions and stances


class PropositionForm(BidiControlsStrippedMixin, forms.Form):
    statement = forms.CharField(
        label=_("Statement"), max_length=300, help_text=_("The contested statement, as one sentence.")
    )
    description = MarkdownField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, proposition: Proposition | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposition = proposition

    def clean_statement(self):
        statement = self.cleaned_data["statement"].strip()
        duplicates = Proposition.objects.filter(statement__iexact=statement)
        if self.proposition is not None:
            duplicates = duplicates.exclude(pk=self.proposition.pk)
        if duplicates.exists():
            raise ValidationError(_("A proposition with this statement already exists; use its board instead."))
        return statement


class PropositionEditForm(PropositionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, proposition: Proposition) -> dict:
        return {
            "statement": proposition.statement,
            "description": proposition.description,
            "version": proposition.version,
        }


class StanceEditForm(BidiControlsStrippedMixin, forms.Form):
    """The paraphrase of the stance's claim and the stance's note; each only while its record is editable."""

    paraphrase = forms.CharField(label=_("Paraphrase of the claim"), max_length=300)
    claim_version = forms.IntegerField(widget=forms.HiddenInput)
    note = MarkdownField(label=_("Note on this stance"), widget=forms.Textarea(attrs={"rows": 3}))
    stance_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, stance: Stance, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.stance = stance
        if not stance.claim.is_editable_by(user):
            del self.fields["paraphrase"], self.fields["claim_version"]
        if not stance.is_editable_by(user):
            del self.fields["note"], self.fields["stance_version"]

    @classmethod
    def initial_for(cls, stance: Stance) -> dict:
        return {
            "paraphrase": stance.claim.paraphrase,
            "claim_version": stance.claim.version,
            "note": stance.note,
            "stance_version": stance.version,
        }

    @transaction.atomic
    def save(self, *, user) -> Stance:
        """Save both parts, or neither: raises StaleEdit if either changed since the form was loaded."""
        stance, data = self.stance, self.cleaned_data
        if "paraphrase" in self.fields:
            stance.claim.paraphrase = data["paraphrase"]
            stance.claim.save_edit(expected_version=data["claim_version"], fields=["paraphrase"], by=user)
        if "note" in self.fields:
            stance.note = data["note"]
            stance.save_edit(expected_version=data["stance_version"], fields=["note"], by=user)
        return stance


class StanceMoveForm(forms.Form):
    side = forms.ChoiceField(label=_("Move to"), choices=Side)
    version = forms.IntegerField(widget=forms.HiddenInput)


class StanceRemoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StanceAddForm(forms.Form):
    claim = forms.ModelChoiceField(queryset=Claim.objects.all(), widget=forms.HiddenInput)
    side = forms.ChoiceField(label=_("Add as"), choices=Side)

    def __init__(self, *args, proposition: Proposition, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposition = proposition

    def clean(self):
        cleaned = super().clean()
        claim = cleaned.get("claim")
        if claim and Stance.objects.on_boards().filter(claim=claim, proposition=self.proposition).exists():
            raise ValidationError(_("This claim is already on the board."))
        return cleaned


# ---------------------------------------------------------------------------
# Changes proposed to approved records (they become revisions for a reviewer)

REVISION_NOTE_LABEL = _("Why the change")
REVISION_NOTE_HELP = _("For the reviewer: what was wrong or missing.")


def revision_note_field():
    return forms.CharField(
        label=REVISION_NOTE_LABEL,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REVISION_NOTE_HELP,
    )


class ClaimRevisionForm(ClaimEditForm):
    revision_note = revision_note_field()

    @classmethod
    def for_record(cls, claim: Claim, data=None) -> "ClaimRevisionForm":
        """The form for proposing a change to ``claim``: bound to ``data``, or filled with the approved values."""
        return cls(data, initial=None if data is not None else cls.initial_for(claim), source=claim.source)

    def changes(self, user) -> dict:
        """The proposed values (a new actor named here is created now; the rest waits for review)."""
        return {"quote": self.anchor, **self.claim_fields(user)}  # anchored by clean(), not again by the model


class PropositionRevisionForm(PropositionEditForm):
    revision_note = revision_note_field()

    @classmethod
    def for_record(cls, proposition: Proposition, data=None) -> "PropositionRevisionForm":
        initial = None if data is not None else cls.initial_for(proposition)
        return cls(data, initial=initial, proposition=proposition)

    def changes(self, user) -> dict:
        return {"statement": self.cleaned_data["statement"], "description": self.cleaned_data["description"]}


class StanceRevisionForm(forms.Form):
    side = forms.ChoiceField(label=_("Stance"), choices=Side)
    note = MarkdownField(label=_("Note on this stance"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    revision_note = revision_note_field()

    @classmethod
    def initial_for(cls, stance: Stance) -> dict:
        return {"side": stance.side, "note": stance.note, "version": stance.version}

    @classmethod
    def for_record(cls, stance: Stance, data=None) -> "StanceRevisionForm":
        return cls(data, initial=None if data is not None else cls.initial_for(stance))

    def changes(self, user) -> dict:
        return {"side": self.cleaned_data["side"], "note": self.cleaned_data["note"]}


# ---------------------------------------------------------------------------
# Actors


class ActorForm(BidiControlsStrippedMixin, forms.Form):
    """An actor's public fields. Names of other actors are resolved as in the claim form."""

    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("As the actor is best known in English."))
    kind = forms.ChoiceField(label=_("Kind"), choices=ActorKind, initial=ActorKind.PERSON)
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: spellings, transliterations, the name in other scripts."),
    )
    affiliation = forms.CharField(
        label=_("Affiliation"),
        max_length=200,
        required=False,
        help_text=_("The body this actor speaks for, by name or alias, e.g. a spokesman’s government."),
    )
    description = MarkdownField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, actor: Actor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    @classmethod
    def initial_for(cls, actor: Actor) -> dict:
        return {
            "name": actor.name,
            "kind": actor.kind,
            "aliases": actor.aliases,
            "affiliation": actor.affiliation.name if actor.affiliation else "",
            "description": actor.description,
            "version": actor.version,
        }

    def clean_aliases(self) -> str:
        return "\n".join(line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip())

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())  # "Zabihullah  Mujahid" is "Zabihullah Mujahid"
        others = [actor for actor in actors_named(name) if self.actor is None or actor.pk != self.actor.pk]
        if any(actor.name.casefold() == name.casefold() for actor in others):
            raise ValidationError(_("An actor called “%(name)s” already exists."), params={"name": name})
        if others:
            raise ValidationError(
                _("“%(name)s” is another name of %(actor)s: use that actor, or give this one a fuller name."),
                params={"name": name, "actor": others[0].name},
            )
        return name

    def clean_affiliation(self) -> Actor | None:
        name = self.cleaned_data["affiliation"].strip()
        if not name:
            return None
        matches = actors_named(name)
        if not matches:
            raise ValidationError(
                _("No actor is called “%(name)s”. Create that actor first, then name it here."), params={"name": name}
            )
        if len(matches) > 1:
            raise ValidationError(
                _("Several actors are called “%(name)s” (%(names)s): type the full name of the one you mean."),
                params={"name": name, "names": ", ".join(actor.name for actor in matches)},
            )
        body = matches[0]
        if self.actor is not None and self.actor.pk in self._affiliation_chain(body):
            raise ValidationError(_("An actor cannot belong to itself, directly or through others."))
        return body

    @staticmethod
    def _affiliation_chain(actor: Actor) -> list[int]:
        """``actor`` and the bodies it belongs to, upwards (bounded: chains are short)."""
        chain, current = [], actor
        while current is not None and current.pk not in chain and len(chain) < 20:
            chain.append(current.pk)
            current = current.affiliation
        return chain

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "kind", "aliases", "affiliation", "description")}


class ActorEditForm(ActorForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActorRevisionForm(ActorEditForm):
    revision_note = revision_note_field()

    def changes(self, user) -> dict:
        return self.values()


# ---------------------------------------------------------------------------
# Questions and the answers claims give them

ANY_VALUE_HELP = _(
    "As the quote states it, in the form the question asks for: a date (May 2022, 2022-05-12, “May to June 2022”), "
    "a number (30, at least 30, 30–40), an actor’s name, or yes or no."
)


def value_help(question: Question | None) -> str:
    """How to write a value for ``question`` (every form, when it is not chosen yet)."""
    if question is None:
        return str(ANY_VALUE_HELP)
    if question.value_type == ValueType.DATE:
        return str(_("A date: a day, a month, a year or a range, e.g. 2022-05-12, May 2022, 2022, “May to June 2022”."))
    if question.value_type == ValueType.QUANTITY:
        return str(
            _("A number of %(unit)s: 30, at least 30, at most 30, about 1,200 or 30–40.") % {"unit": question.unit}
        )
    if question.value_type == ValueType.ACTOR:
        return str(_("An actor: their name, or another name the desk knows them by."))
    return str(_("Yes or no."))


def questions_named(text: str) -> list[Question]:
    text = " ".join(text.split())
    return list(Question.objects.filter(Q(text__iexact=text) | Q(slug=text))[:2])


class NamesInvalidFieldsMixin:
    """``invalid_fields``: the labels of the fields to correct, for the notice above a refused form."""

    @property
    def invalid_fields(self) -> str:
        labels = [str(self.fields[name].label).lower() for name in self.errors if name in self.fields]
        if len(labels) > 1:
            return _("%(first)s and %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}
        return labels[0] if labels else ""

    def add_model_errors(self, error: ValidationError) -> None:
        """Put a model's ValidationError on the fields it names (the others above the form)."""
        for name, messages in getattr(error, "error_dict", {None: error}).items():
            messages = messages if isinstance(messages, list) else [messages]
            for message in messages:
                text = " ".join(message.messages) if isinstance(message, ValidationError) else str(message)
                self.add_error(name if name in self.fields else None, text)


class QuestionForm(NamesInvalidFieldsMixin, BidiControlsStrippedMixin, forms.Form):
    """A question's fields; the model's clean() decides what fits together (a unit for numbers only)."""

    text = forms.CharField(
        label=_("Question"),
        max_length=300,
        help_text=_("Asks for one value, as one sentence: “When was the TTP–Pakistan ceasefire agreed?”"),
    )
    value_type = forms.ChoiceField(label=_("The answer is"), choices=ValueType, initial=ValueType.DATE)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=60,
        required=False,
        help_text=_("What the number counts, e.g. “people killed” or “fighters”."),
    )
    tolerance_percent = forms.IntegerField(
        label=_("Tolerance (%)"),
        min_value=0,
        max_value=50,
        initial=0,
        required=False,
        help_text=_("How far apart two rounded figures may be and still agree, e.g. 10 for “about 30” against 32."),
    )
    description = MarkdownField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    related = forms.CharField(
        label=_("Related propositions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One statement per line, as on its board."),
    )

    bidi_stripped_fields = ("text", "unit")
    NUMBER_ONLY = ("unit", "tolerance_percent")

    def __init__(self, *args, question: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.answered = question is not None and question.answers.exists()
        if self.answered:  # the model refuses a change of type or unit once answered; say so before
            for name in ("value_type", "unit"):
                self.fields[name].disabled = True
                self.fields[name].initial = getattr(question, name)  # what a disabled field submits
                self.fields[name].help_text = _("The question has answers, so this can no longer change.")

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {
            "text": question.text,
            "value_type": question.value_type,
            "unit": question.unit,
            "tolerance_percent": question.tolerance_percent,
            "description": question.description,
            "related": "\n".join(proposition.statement for proposition in question.propositions.all()),
            "version": question.version,
        }

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        duplicates = Question.objects.filter(text__iexact=text)
        if self.question is not None:
            duplicates = duplicates.exclude(pk=self.question.pk)
        if duplicates.exists():
            raise ValidationError(_("A question with this text already exists; answer it on its board instead."))
        return text

    def clean_related(self) -> list[Proposition]:
        found, missing = [], []
        for line in self.cleaned_data["related"].splitlines():
            if not line.strip():
                continue
            named = propositions_named(line)
            if named:
                found += [proposition for proposition in named[:1] if proposition not in found]
            else:
                missing.append(line.strip())
        if missing:
            raise ValidationError(
                _("No proposition says “%(statement)s”. Pick one from the suggestions, or create it first.")
                % {"statement": missing[0][:120]}
            )
        return found

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value_type") != ValueType.QUANTITY:
            cleaned["unit"], cleaned["tolerance_percent"] = "", 0  # those fields are for numbers only
        elif cleaned.get("tolerance_percent") is None:
            cleaned["tolerance_percent"] = 0
        if self.errors:
            return cleaned
        question = Question(**self.values()) if self.question is None else copy.copy(self.question)
        for name, value in self.values().items():
            setattr(question, name, value)
        try:
            question.full_clean(exclude=["slug"], validate_unique=False)
        except ValidationError as error:
            self.add_model_errors(error)
        return cleaned

    def values(self) -> dict:
        fields = ("text", "value_type", "unit", "tolerance_percent", "description")
        return {name: self.cleaned_data[name] for name in fields}

    @transaction.atomic
    def create(self, *, user) -> Question:
        question = Question(**self.values(), created_by=user)
        question.slug = unique_slug(Question, question.text)
        if question.slug == "new":  # /desk/questions/new/ is the form for a new question
            question.slug = unique_slug(Question, "new question")
        question.save()
        question.propositions.set(self.cleaned_data["related"])
        return question


class QuestionEditForm(QuestionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @transaction.atomic
    def save(self, *, user) -> Question:
        """Save the edit in place; raises StaleEdit (changing nothing) if someone saved the question meanwhile."""
        question = self.question
        values = self.values()
        for name, value in values.items():
            setattr(question, name, value)
        question.save_edit(expected_version=self.cleaned_data["version"], fields=list(values), by=user)
        question.propositions.set(self.cleaned_data["related"])
        return question


class QuestionRevisionForm(NamesInvalidFieldsMixin, BidiControlsStrippedMixin, forms.Form):
    text = QuestionForm.base_fields["text"]
    tolerance_percent = QuestionForm.base_fields["tolerance_percent"]
    description = MarkdownField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    revision_note = revision_note_field()

    bidi_stripped_fields = ("text",)

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        if question.value_type != ValueType.QUANTITY:
            del self.fields["tolerance_percent"]

    @classmethod
    def for_record(cls, question: Question, data=None) -> "QuestionRevisionForm":
        initial = {
            "text": question.text,
            "tolerance_percent": question.tolerance_percent,
            "description": question.description,
            "version": question.version,
        }
        return cls(data, initial=None if data is not None else initial, question=question)

    def clean_text(self):
        return QuestionForm.clean_text(self)

    def changes(self, user) -> dict:
        changes = {"text": self.cleaned_data["text"], "description": self.cleaned_data["description"]}
        if "tolerance_percent" in self.fields:
            changes["tolerance_percent"] = self.cleaned_data["tolerance_percent"] or 0
        return changes


def value_field(question: Question | None = None) -> forms.CharField:
    return forms.CharField(
        label=_("Value"), max_length=values.MAX_VALUE_LENGTH, help_text=value_help(question), strip=True
    )


class AnswerForm(NamesInvalidFieldsMixin, forms.Form):
    """A new answer: the value a claim states for a question, read for the question's type by the model."""

    value_text = value_field()

    def check_answer(self, question: Question, claim: Claim) -> None:
        """Build ``self.answer`` (unsaved) and let the model read its value; errors go on the fields."""
        if Answer.objects.filter(question=question, claim=claim).exists():
            self.add_error(
                None,
                _("This claim already answers this question: change that answer on the question’s board instead."),
            )
            return
        self.answer = Answer(question=question, claim=claim, value_text=self.cleaned_data["value_text"])
        try:
            self.answer.full_clean()
        except ValidationError as error:
            self.add_model_errors(error)

    def save(self, *, user) -> Answer:
        self.answer.created_by = user
        self.answer.save()
        return self.answer


class ClaimAnswerForm(AnswerForm):
    """From the claim panel: which question the claim answers (by its text, from the suggestions), and the value."""

    question = forms.CharField(
        label=_("Question"),
        max_length=300,
        help_text=_("The question this claim answers: type a few of its words and pick it."),
    )
    field_order = ("question", "value_text")

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim

    def clean_question(self) -> Question:
        text = self.cleaned_data["question"]
        named = questions_named(text)
        if not named:
            raise ValidationError(
                _("No question asks “%(text)s”. Pick one from the suggestions, or create it under Questions first.")
                % {"text": " ".join(text.split())[:120]}
            )
        return named[0]

    def clean(self):
        cleaned = super().clean()
        question = cleaned.get("question")
        if question is not None:  # say how to write a value for the question chosen (the form may be shown again)
            self.fields["value_text"].help_text = self["value_text"].help_text = value_help(question)
        if question is not None and "value_text" in cleaned:
            self.check_answer(question, self.claim)
        return cleaned


class QuestionAnswerForm(AnswerForm):
    """From a question's board: which claim answers it (found by search), and the value."""

    claim = forms.ModelChoiceField(queryset=Claim.objects.all(), widget=forms.HiddenInput)

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["value_text"].help_text = value_help(question)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("claim") is not None and "value_text" in cleaned:
            self.check_answer(self.question, cleaned["claim"])
        return cleaned


class AnswerEditForm(NamesInvalidFieldsMixin, forms.Form):
    value_text = value_field()
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, answer: Answer, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer = answer
        self.fields["value_text"].help_text = value_help(answer.question)

    @classmethod
    def initial_for(cls, answer: Answer) -> dict:
        return {"value_text": answer.value_text, "version": answer.version}

    def clean(self):
        cleaned = super().clean()
        if "value_text" in cleaned:
            checked = copy.copy(self.answer)
            checked.value_text = cleaned["value_text"]
            try:
                checked.read_value()
            except ValidationError as error:
                self.add_model_errors(error)
        return cleaned

    def save(self, *, user) -> Answer:
        """Save the new value; raises StaleEdit (changing nothing) if someone saved the answer meanwhile."""
        self.answer.value_text = self.cleaned_data["value_text"]
        self.answer.full_clean(validate_unique=False)
        self.answer.save_edit(expected_version=self.cleaned_data["version"], fields=["value_text"], by=user)
        return self.answer


class AnswerRevisionForm(AnswerEditForm):
    revision_note = revision_note_field()

    @classmethod
    def for_record(cls, answer: Answer, data=None) -> "AnswerRevisionForm":
        return cls(data, initial=None if data is not None else cls.initial_for(answer), answer=answer)

    def changes(self, user) -> dict:
        return {"value_text": self.cleaned_data["value_text"]}
