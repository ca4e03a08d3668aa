"""The desk's translations of quotes and of sources' summaries: add one, edit drafts in place, send them to review,
propose changes.

One page per claim (``claim_translations``) and one per source
(``source_translations``, its summary in other languages) lists its
translations in every state with the form for another; the claim list, the
boards and the source page link to them. Both are served by the same views and
template, which work on the translated record (``original``: a claim or a
source). HTMX requests get the region that changed
(``desk/translations.html#…``), plain requests the whole page or a redirect, so
everything works without JavaScript.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from claims.models import Claim, ReviewState, StaleEdit
from claims.translations import (
    TRANSLATION_MAX_LENGTH,
    Translation,
    TranslationKind,
    TranslationLanguage,
    validate_translation_length,
)
from desk.access import analyst_required, is_partial_request
from sources.models import Source
from sources.text import strip_bidi_controls

TRANSLATED_FIELDS = ("text", "translator", "kind", "notes")
STALE = _(
    "Someone else saved this translation while you were editing it. Their version is shown below; your text is "
    "kept in the form. Save again to replace their version with yours, or reload to keep theirs."
)


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Into"), choices=TranslationLanguage.choices)
    text = forms.CharField(
        label=_("Translation"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TRANSLATION_MAX_LENGTH}),
        validators=[validate_translation_length],
        help_text=_("The quote's words in the other language, nothing added. The original stays as it is."),
    )
    translator = forms.CharField(
        label=_("Translator"),
        max_length=200,
        help_text=_("Who translated it: a person, or e.g. “Desk translation team”."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=TranslationKind.choices, initial=TranslationKind.HUMAN)
    notes = forms.CharField(label=_("Notes for the reviewer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, editing: bool = False, summary: bool = False, original_language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "language" not in self.initial:
            # Offered first: the desk's language, else the first language the original is not in.
            offered = [value for value in TranslationLanguage.values if value != original_language]
            self.initial["language"] = get_language() if get_language() in offered else offered[0]
        if summary:
            self.fields["text"].help_text = _(
                "A short summary of the source in the other language: what it reports, nothing added."
            )
        if editing:  # a translation keeps its language; translate into another with a new one
            del self.fields["language"]
        if self.is_bound:
            data = self.data.copy()
            for name in ("text", "translator"):
                if name in data:
                    data[name] = strip_bidi_controls(data[name])
            self.data = data

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write the translation."))
        return text

    def apply(self, translation: Translation) -> None:
        for name in TRANSLATED_FIELDS:
            setattr(translation, name, self.cleaned_data[name])


class TranslationRevisionForm(TranslationForm):
    revision_note = forms.CharField(label=_("Why change it"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, editing=True, **kwargs)


def _claim(pk) -> Claim:
    claim = Claim.objects.select_related("source", "claimant").filter(pk=pk).first()
    if claim is None:
        raise Http404(gettext("There is no such claim."))
    return claim


def _source(pk) -> Source:
    source = Source.objects.defer("text").filter(pk=pk).first()
    if source is None:
        raise Http404(gettext("There is no such source; it may never have been imported."))
    return source


def _translation(pk) -> Translation:
    translation = (
        Translation.objects.select_related("claim__source", "claim__claimant", "source")
        .defer("claim__source__text", "source__text")
        .filter(pk=pk)
        .first()
    )
    if translation is None:
        raise Http404(gettext("There is no such translation."))
    return translation


def page_url(original: Claim | Source) -> str:
    """The desk page of ``original``'s translations: a claim's quote or a source's summary."""
    if isinstance(original, Source):
        return reverse("desk:source_translations", args=[original.pk])
    return reverse("desk:claim_translations", args=[original.pk])


def _initial(translation: Translation) -> dict:
    return {name: getattr(translation, name) for name in TRANSLATED_FIELDS} | {"version": translation.version}


def _form(original, *args, **kwargs) -> TranslationForm:
    is_source = isinstance(original, Source)
    language = original.language if is_source else original.source.language
    return TranslationForm(*args, summary=is_source, original_language=language, **kwargs)


def _page(request, original: Claim | Source, *, form=None, status: int = 200, **extra):
    is_source = isinstance(original, Source)
    translations = (
        Translation.objects.filter(**{"source" if is_source else "claim": original})
        .select_related("created_by")
        .order_by("language", "pk")
    )
    context = {
        "original": original,
        "claim": None if is_source else original,
        "source": original if is_source else original.source,
        "page_url": page_url(original),
        "translations": translations,
        "form": form or _form(original, initial={"translator": request.user.get_full_name() or ""}),
        **extra,
    }
    template = "desk/translations.html#translations" if is_partial_request(request) else "desk/translations.html"
    return render(request, template, context, status=status)


def _back(request, original: Claim | Source, message: str, **extra):
    if not is_partial_request(request):
        messages.success(request, message)
        return redirect(page_url(original))
    return _page(request, original, saved_message=message, **extra)


def _add(request, original: Claim | Source):
    """The page of ``original``'s translations, or (POST) a new draft translation of it."""
    if request.method != "POST":
        return _page(request, original)
    form = _form(original, request.POST)
    if form.is_valid():
        of = {"source": original} if isinstance(original, Source) else {"claim": original}
        translation = Translation(**of, language=form.cleaned_data["language"], created_by=request.user)
        form.apply(translation)
        try:
            translation.full_clean()
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            translation.save()
            message = gettext("%(language)s translation saved as a draft.") % {
                "language": translation.get_language_display()
            }
            return _back(request, original, message)
    return _page(request, original, form=form, status=422)


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim_translations(request, pk):
    """A claim's translations in every state, and the form for another."""
    return _add(request, _claim(pk))


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def source_translations(request, pk):
    """A source's summary in other languages, in every state, and the form for another."""
    return _add(request, _source(pk))


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def translation_edit(request, pk):
    """Edit a draft (or rejected) translation in place, refused if someone else saved it first."""
    translation = _translation(pk)
    if not translation.is_editable:
        raise PermissionDenied(
            gettext("This translation is %(state)s: it is not edited in place.")
            % {"state": translation.get_state_display().lower()}
        )
    translation.check_author(request.user)
    original = translation.original
    if request.method != "POST":
        edit_form = _form(original, initial=_initial(translation), editing=True)
        return _page(request, original, editing=translation, edit_form=edit_form)
    form = _form(original, request.POST, editing=True)
    if form.is_valid() and form.cleaned_data["version"]:
        form.apply(translation)
        try:
            translation.full_clean()
            translation.save_edit(
                expected_version=form.cleaned_data["version"], fields=list(TRANSLATED_FIELDS), by=request.user
            )
        except StaleEdit as stale:
            context = {"editing": translation, "edit_form": form, "stale": stale.current, "stale_message": STALE}
            return _page(request, original, status=409, **context)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _back(request, original, gettext("Translation saved."))
    elif form.is_valid():
        form.add_error(None, gettext("The form lost its version; reload the page and edit again."))
    return _page(request, original, editing=translation, edit_form=form, status=422)


@analyst_required
@require_POST
def translation_submit(request, pk):
    """Send a draft translation to review, with the author's draft claim (or source) it rests on."""
    translation = _translation(pk)
    if not translation.is_editable:
        raise PermissionDenied(gettext("Only drafts and rejected translations are sent to review."))
    translation.submit(request.user)
    return _back(request, translation.original, gettext("Translation sent to review."))


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def translation_revise(request, pk):
    """Propose a change to an approved translation; readers keep the approved one until a reviewer decides."""
    translation = _translation(pk)
    if translation.state != ReviewState.APPROVED:
        raise PermissionDenied(gettext("Only approved translations take proposed changes; edit this one directly."))
    original = translation.original
    if request.method != "POST":
        form = TranslationRevisionForm(initial=_initial(translation), summary=isinstance(original, Source))
        return _page(request, original, revising=translation, revise_form=form)
    form = TranslationRevisionForm(request.POST, summary=isinstance(original, Source))
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in TRANSLATED_FIELDS}
        try:
            translation.propose_revision(
                request.user,
                changes,
                note=form.cleaned_data["revision_note"],
                expected_version=form.cleaned_data["version"] or translation.version,
            )
        except StaleEdit as stale:
            context = {"revising": translation, "revise_form": form, "stale": stale.current, "stale_message": STALE}
            return _page(request, original, status=409, **context)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            return _back(request, original, gettext("Change proposed: a reviewer will check it."))
    return _page(request, original, revising=translation, revise_form=form, status=422)
