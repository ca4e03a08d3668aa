"""The analyst desk: import sources, record claims by selecting text, arrange propositions.

Every view is wrapped by ``analyst_required`` and starts with the access helper
``_get`` for its object. HTMX requests get the fragment that changed (a template
partial, ``"page.html#name"``, see ``_render``); plain requests get the whole page
or a redirect, so every control also works without JavaScript.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import CharField, Count, Prefetch, Q, Value
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import push_url, reswap, retarget

from claims.models import (
    Actor,
    Answer,
    Claim,
    Proposition,
    Question,
    ReviewError,
    ReviewState,
    Revision,
    Side,
    StaleEdit,
    Stance,
)
from claims.roles import account_version
from claims.translations import Translation
from config.middleware import parse_id
from desk import matching
from desk.access import analyst_required, is_partial_request, refusal
from desk.forms import (
    LANGUAGE_SUGGESTIONS,
    ActorEditForm,
    ActorForm,
    ActorRevisionForm,
    AnswerEditForm,
    AnswerRevisionForm,
    ClaimAnswerForm,
    ClaimEditForm,
    ClaimRevisionForm,
    NewClaimForm,
    PropositionEditForm,
    PropositionForm,
    PropositionRevisionForm,
    QuestionAnswerForm,
    QuestionEditForm,
    QuestionForm,
    QuestionRevisionForm,
    SourceAddressForm,
    SourceImportForm,
    StanceAddForm,
    StanceEditForm,
    StanceMoveForm,
    StanceRemoveForm,
    StanceRevisionForm,
    capture_token,
    value_help,
)
from desk.highlighting import highlight_runs
from desk.submission import (
    SENT_STATES,
    Submitted,
    board_drafts,
    question_drafts,
    source_drafts,
    submit_board_drafts,
    submit_claim,
    submit_question_drafts,
    submit_source_drafts,
)
from desk.templatetags.desk import kind_label
from reader.caching import cached_for_desk, desk_fragment_key, has_message_waiting
from reader.questions import GroupConflict, ValueGroup, group_by_value, group_conflicts
from sources.anchoring import AnchorError, anchor_quote
from sources.capture import preview_page
from sources.dates import iso_partial_date
from sources.fetching import FetchRefused
from sources.models import Capture, QuoteCheck, Source, address_key
from sources.recheck import recheck_source

# Records per list on desk home (each list links to all of them) and per page of a whole list.
HOME_LIST_LIMIT = 10
SECTION_PAGE_ROWS = 50
STALE_MESSAGE = gettext_lazy(
    "Someone else saved this %(what)s while you were editing it. Their version is shown below; your text is kept "
    "in the form. Save again to replace their version with yours, or cancel to keep theirs."
)

# ---------------------------------------------------------------------------
# Access: one helper returns the record a view works on, or raises 404/403 saying why.

# How the desk reads each kind of record (what its pages show with it), and what a 404 says.
RECORDS = {
    Source: (Source.objects.all(), gettext_lazy("There is no such source; it may never have been imported.")),
    Claim: (Claim.objects.select_related("source", "claimant", "reported_by"), gettext_lazy("There is no such claim.")),
    Stance: (
        Stance.objects.select_related("proposition", "claim__source", "claim__claimant", "claim__reported_by"),
        gettext_lazy("There is no such stance."),
    ),
    Proposition: (Proposition.objects.all(), gettext_lazy("There is no such proposition.")),
    Actor: (Actor.objects.select_related("affiliation", "created_by"), gettext_lazy("There is no such actor.")),
}
REMOVED_FROM_BOARD = gettext_lazy(
    "This claim was removed from the board. Add it again from the board's search to work on it."
)
READ_ONLY_WHILE_PENDING = gettext_lazy(
    "This %(what)s is pending review: it stays read-only until a reviewer approves or rejects it."
)


def _get(request, model, *, for_edit: bool = False, for_revision: bool = False, **lookup):
    """The ``model`` record matching ``lookup`` (``pk=`` or ``slug=``), or a 404.

    ``for_edit``: the user must be allowed to edit it in place (_check_editable).
    ``for_revision``: it must be approved, so that a change to it is proposed
    as a revision. Either refusal is a 403 that says why.
    """
    queryset, missing = RECORDS[model]
    record = queryset.filter(**lookup).first()
    if record is None:
        raise Http404(missing)
    if record.state == ReviewState.REMOVED:  # only stances are removed, from their board
        raise Http404(REMOVED_FROM_BOARD)
    if for_edit:
        _check_editable(record, request.user)
    if for_revision and record.state != ReviewState.APPROVED:
        raise _not_revisable(record)
    return record


def _what(record) -> str:
    return kind_label(record)


def _check_editable(record, user) -> None:
    """Drafts and rejected records are edited in place, by their author only."""
    what = _what(record)
    if not record.is_editable:
        if record.state == ReviewState.APPROVED:
            raise PermissionDenied(
                gettext(
                    "This %(what)s is approved and public, so it is not edited in place: "
                    "use “Propose a change” and a reviewer will check your change."
                )
                % {"what": what}
            )
        raise PermissionDenied(READ_ONLY_WHILE_PENDING % {"what": what})
    record.check_author(user)


def _not_revisable(record) -> PermissionDenied:
    if record.is_editable:
        return PermissionDenied(
            gettext("This %(what)s is %(state)s: edit it directly instead.")
            % {"what": _what(record), "state": record.get_state_display().lower()}
        )
    return PermissionDenied(READ_ONLY_WHILE_PENDING % {"what": _what(record)})


# ---------------------------------------------------------------------------
# Rendering: the whole page, or for HTMX only the region it swaps

# (page, "page#partial") for each region HTMX swaps in place.
CLAIM_PANEL = ("desk/source.html", "desk/source.html#claim-panel")
STANCE_FORM = ("desk/stance_edit.html", "desk/board.html#stance-form")
PROPOSITION_FORM = ("desk/proposition_form.html", "desk/board.html#proposition-form")
REVISION_PANEL = ("desk/revise.html", "desk/revise.html#revision-panel")
ACTOR_RESULTS = ("desk/actors.html", "desk/actors.html#results")
PROPOSITION_RESULTS = ("desk/propositions.html", "desk/propositions.html#results")


def _render(request, templates: tuple[str, str], context: dict, *, status: int = 200):
    """The partial of ``templates`` for an HTMX request, the whole page for a plain one."""
    page, partial = templates
    return render(request, partial if is_partial_request(request) else page, context, status=status)


# ---------------------------------------------------------------------------
# Home


@dataclass
class DeskSection:
    """One list of my work on desk home: its latest records and whether there are more."""

    name: str
    state: ReviewState
    heading: str
    records: list = field(default_factory=list)  # records of every kind and revisions, latest change first
    more: bool = False


# The lists of desk home, each also shown whole at ?show=<name>.
SECTIONS = {
    "rejected": (ReviewState.REJECTED, gettext_lazy("Sent back to you")),
    "drafts": (ReviewState.DRAFT, gettext_lazy("Your drafts")),
    "pending": (ReviewState.PENDING, gettext_lazy("Waiting for review")),
}


def _latest_per_state(queryset, user, states, limit: int) -> list:
    """The ``limit`` rows of ``queryset`` that ``user`` changed last in each of ``states``, in one query.

    One id subquery per state, each read newest first from the author's
    (created_by, -updated_at) index. A window function over the author's rows
    sorts every one of them instead (25 ms for 2,500 drafts, against under 1 ms),
    and so does the outer query if it filters on the author too.
    """
    mine = queryset.model.objects.filter(created_by=user).order_by("-updated_at")
    latest = Q()
    for state in states:
        latest |= Q(pk__in=mine.filter(state=state).values("pk")[:limit])
    return list(queryset.filter(latest).order_by())


def _listed() -> dict:
    """How desk home reads each kind of record it lists, by model name (revisions with the records they change)."""
    claims = Claim.objects.select_related("source", "claimant").defer("source__text")
    stances = Stance.objects.select_related("proposition", "claim__claimant")
    propositions = Proposition.objects.all()
    actors = Actor.objects.all()
    sources = Source.objects.defer("text")
    questions = Question.objects.all()
    answers = Answer.objects.select_related("question", "claim__claimant", "actor")
    translations = Translation.objects.select_related("claim__claimant", "source").defer("source__text")
    revisions = Revision.objects.prefetch_related(
        GenericPrefetch("record", [claims, stances, propositions, actors, sources, questions, answers, translations])
    )
    return {
        "claim": claims,
        "stance": stances,
        "proposition": propositions,
        "actor": actors,
        "source": sources,
        "question": questions,
        "answer": answers,
        "translation": translations,
        "revision": revisions,
    }


def _my_work(user, limit: int) -> dict[str, DeskSection]:
    """Desk home's lists: my latest records in each state (one query per kind of record), and whether there are more."""
    listed = _listed()
    states = [state for state, _ in SECTIONS.values()]
    records = [
        *(
            record
            for kind in ("claim", "stance", "proposition", "actor", "source", "question", "answer", "translation")
            for record in _latest_per_state(listed[kind], user, states, limit + 1)
        ),
        # Revisions are never drafts: an analyst proposes a change by sending it to review.
        *_latest_per_state(listed["revision"], user, [ReviewState.PENDING, ReviewState.REJECTED], limit + 1),
    ]
    records.sort(key=lambda record: (record.updated_at, record.pk), reverse=True)
    sections = {name: DeskSection(name, state, heading) for name, (state, heading) in SECTIONS.items()}
    by_state = {section.state: section for section in sections.values()}
    for record in records:
        section = by_state[record.state]
        if len(section.records) < limit:
            section.records.append(record)
        else:
            section.more = True
    return sections


def _my_section_page(user, section: DeskSection, number) -> Page:
    """One page of everything of mine in ``section``'s state, latest change first, across kinds (a union query)."""
    kinds = [Claim, Stance, Proposition, Actor, Source, Question, Answer, Translation]
    kinds += [Revision] if section.state != ReviewState.DRAFT else []
    rows = [
        model.objects.filter(created_by=user, state=section.state)
        .order_by()
        .annotate(record_kind=Value(model._meta.model_name, output_field=CharField()))
        .values_list("record_kind", "pk", "updated_at")
        for model in kinds
    ]
    union = rows[0].union(*rows[1:], all=True).order_by("-updated_at", "-pk")
    page = Paginator(union, SECTION_PAGE_ROWS).get_page(number)
    listed = _listed()
    wanted = {kind: [pk for row_kind, pk, _ in page.object_list if row_kind == kind] for kind in listed}
    records = {kind: listed[kind].in_bulk(pks) for kind, pks in wanted.items() if pks}
    page.object_list = [records[kind][pk] for kind, pk, _ in page.object_list]
    return page


@analyst_required
@require_safe
def home(request):
    """Desk home: my latest work in each state, recent propositions and sources; ``?show=`` lists one state whole.

    The lists are a fragment kept per user for the current desk generation, so
    they are read again only after something the desk shows has changed.
    """
    show = request.GET.get("show")
    if show is not None and show not in SECTIONS:
        raise Http404(gettext("There is no such list on the desk: choose drafts, pending or rejected."))
    context = {
        "fragment": desk_fragment_key("home", request.user.pk, get_language(), request.get_full_path()),
    }
    if show:
        state, heading = SECTIONS[show]
        section = DeskSection(show, state, heading)
        context |= {
            "section": section,
            "page": SimpleLazyObject(lambda: _my_section_page(request.user, section, request.GET.get("page"))),
        }
        return render(request, "desk/home.html", context)
    sections = SimpleLazyObject(lambda: _my_work(request.user, HOME_LIST_LIMIT))
    context |= {
        "sections": sections,
        "drafts": SimpleLazyObject(lambda: sections["drafts"].records),
        "pending": SimpleLazyObject(lambda: [r for r in sections["pending"].records if not isinstance(r, Revision)]),
        "rejected": SimpleLazyObject(lambda: [r for r in sections["rejected"].records if not isinstance(r, Revision)]),
        "pending_revisions": SimpleLazyObject(
            lambda: [r for r in sections["pending"].records if isinstance(r, Revision)]
        ),
        "rejected_revisions": SimpleLazyObject(
            lambda: [r for r in sections["rejected"].records if isinstance(r, Revision)]
        ),
        "propositions": SimpleLazyObject(lambda: list(Proposition.objects.order_by("-updated_at", "-pk")[:10])),
        "questions": SimpleLazyObject(lambda: list(Question.objects.order_by("-updated_at", "-pk")[:10])),
        "sources": SimpleLazyObject(lambda: list(Source.objects.defer("text").order_by("-created_at", "-pk")[:10])),
    }
    return render(request, "desk/home.html", context)


# ---------------------------------------------------------------------------
# Sources


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def source_import(request):
    if request.method == "POST" and "fetch" in request.POST:
        return _fetch_for_import(request)
    form = SourceImportForm(
        request.POST or None, request.FILES or None, max_bytes=settings.SOURCE_UPLOAD_MAX_BYTES, user=request.user
    )
    if request.method == "POST":
        if form.is_valid() and form.duplicate is None:
            try:
                source = form.save(user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, gettext("Source imported. Select a passage in its text to record a claim."))
                return redirect("desk:source", source.pk)
        status = 409 if form.duplicate else 422
        return render(request, "desk/import.html", _import_context(form, fetched=form.fetched), status=status)
    return render(request, "desk/import.html", _import_context(form))


def _fetch_for_import(request):
    """Fetch the page at the typed address and show what was read from it, to check and correct before saving."""
    address = SourceAddressForm(request.POST)
    form = SourceImportForm(initial=_typed(request.POST), max_bytes=settings.SOURCE_UPLOAD_MAX_BYTES)
    if not address.is_valid():
        return render(request, "desk/import.html", _import_context(form, address=address), status=422)
    url = address.cleaned_data["url"]
    duplicate = Source.objects.find_duplicate(url=url)
    if duplicate is None:
        try:
            capture, extraction = preview_page(url, user=request.user)
        except FetchRefused as refusal:
            address.add_error("url", str(refusal))
            return render(request, "desk/import.html", _import_context(form, address=address), status=422)
        duplicate = Source.objects.find_duplicate(url=capture.final_url, text=capture.text)
        if duplicate is not None:
            capture.delete()
    if duplicate is not None:
        return render(
            request, "desk/import.html", _import_context(form, address=address, duplicate=duplicate), status=409
        )
    address = SourceAddressForm(initial={"url": capture.final_url})
    initial = _typed(request.POST) | {
        "url": capture.final_url,
        "capture": capture_token(capture),
        "text": extraction.text,
    }
    # What the page says fills what the analyst left empty; what they typed stays.
    found = {
        "title": extraction.title,
        "outlet": extraction.outlet,
        "authors": extraction.authors,
        "published": iso_partial_date(extraction.published_on, extraction.published_precision),
        "language": extraction.language,
    }
    initial |= {name: value for name, value in found.items() if value and not initial.get(name)}
    initial.setdefault("language", "")  # not the form's default "en": the analyst says what the page did not
    form = SourceImportForm(initial=initial, max_bytes=settings.SOURCE_UPLOAD_MAX_BYTES)
    context = _import_context(form, address=address, fetched=capture, extraction=extraction)
    return render(request, "desk/import.html", context)


def _typed(data) -> dict:
    """What the analyst typed into the import form before fetching (no file, no text: the page gives those)."""
    names = ("title", "outlet", "authors", "published", "language", "notes")
    return {name: data.get(name, "").strip() for name in names if data.get(name, "").strip()}


def _import_context(form, *, address=None, fetched=None, extraction=None, duplicate=None) -> dict:
    address = address or SourceAddressForm(initial={"url": form["url"].value() or ""})
    duplicate = duplicate or form.duplicate
    typed = {address_key(str(value or "")) for value in (address["url"].value(), form["url"].value())}
    return {
        "form": form,
        "address": address,
        "duplicate": duplicate,
        "duplicate_by_address": duplicate is not None and duplicate.address_key in typed - {""},
        "fetched": fetched,
        "extraction": extraction,
        "language_suggestions": LANGUAGE_SUGGESTIONS,
    }


def _source_context(request, source: Source, form=None, editing: Claim | None = None, **extra) -> dict:
    stances = Stance.objects.on_boards().select_related("proposition")
    answers = Answer.objects.select_related("question", "actor").order_by("pk")
    claims = list(
        Claim.objects.filter(source=source)
        .select_related("claimant", "reported_by")
        .prefetch_related(Prefetch("stances", queryset=stances), Prefetch("answers", queryset=answers))
        .order_by("start", "pk")
    )
    if form is None:
        form = NewClaimForm(source=source, initial={"claimant_kind": "person", "reported_by_kind": "media_outlet"})
    # Its summary in other languages, and my draft translations of its quotes ("send my drafts" counts them).
    translations = list(
        Translation.objects.filter(
            Q(source=source) | Q(claim__source=source, created_by=request.user, state=ReviewState.DRAFT)
        )
        .defer("text", "notes")
        .order_by("language", "pk")
    )
    drafts = _my_drafts_in(claims, request.user, source=source, translations=translations)
    return {
        "source": source,
        "claims": claims,
        "summary_translations": [translation for translation in translations if translation.source_id],
        "runs": highlight_runs(source.text, claims),
        "form": form,
        "editing": editing,
        "my_drafts_total": drafts.total,
        "my_drafts_label": str(drafts),
        "captures": SimpleLazyObject(lambda: _listed_captures(source)),
        **extra,
    }


def _my_drafts_in(claims: list[Claim], user, *, source: Source, translations: list[Translation]) -> Submitted:
    """What "send my drafts" would send, counted from the claims and translations already loaded (see
    submission.source_drafts and submission.sendable_translations)."""

    def is_my_draft(record):
        return record.created_by_id == user.pk and record.state == ReviewState.DRAFT

    def goes_along(record):
        return is_my_draft(record) or record.state in SENT_STATES

    by_pk = {claim.pk: claim for claim in claims}
    sendable = [
        translation
        for translation in translations
        if is_my_draft(translation) and goes_along(by_pk[translation.claim_id] if translation.claim_id else source)
    ]

    stances = [stance for claim in claims for stance in claim.stances.all() if is_my_draft(stance)]
    propositions = {stance.proposition_id for stance in stances if is_my_draft(stance.proposition)}
    answers = [answer for claim in claims for answer in claim.answers.all() if is_my_draft(answer)]
    questions = {answer.question_id for answer in answers if is_my_draft(answer.question)}
    return Submitted(
        claims=sum(1 for claim in claims if is_my_draft(claim)),
        stances=len(stances),
        propositions=len(propositions),
        questions=len(questions),
        answers=len(answers),
        translations=len(sendable),
    )


@analyst_required
@require_safe
def source(request, pk):
    source = _get(request, Source, pk=pk)
    return render(request, "desk/source.html", _source_context(request, source))


def _after_claim_saved(request, source: Source, message: str, *, claim: Claim | None = None):
    """HTMX: a fresh panel plus the text and claim list, swapped out of band. Otherwise: back to the page.

    A new ``claim`` is offered in the panel to answer a question with.
    """
    if not is_partial_request(request):
        messages.success(request, message)
        return redirect("desk:source", source.pk)
    answering = {}
    if claim is not None:
        answering = {"answer_claim": claim, "answer_form": ClaimAnswerForm(claim=claim, auto_id="id_answer_%s")}
    context = _source_context(request, source, saved_message=message, **answering)
    response = render(request, "desk/source.html#claim-saved", context)
    return push_url(response, reverse("desk:source", args=[source.pk]))


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim_new(request, pk):
    source = _get(request, Source, pk=pk)
    if request.method == "GET":
        initial = {"quote": request.GET.get("quote", ""), "start": request.GET.get("start")}
        form = NewClaimForm(source=source, initial={**initial, "claimant_kind": "person"})
        return _render(request, CLAIM_PANEL, _source_context(request, source, form=form))
    form = NewClaimForm(request.POST, source=source)
    if form.is_valid():
        try:
            claim = form.save(user=request.user)
        except (ValidationError, AnchorError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            message = gettext("Claim by %(claimant)s recorded as a draft.") % {"claimant": claim.claimant.name}
            return _after_claim_saved(request, source, message, claim=claim)
    return _render(request, CLAIM_PANEL, _source_context(request, source, form=form), status=422)


@analyst_required
@require_safe
def anchor_preview(request, pk):
    """Where the quote being typed or selected anchors, or why it does not (a live check for the panel)."""
    source = _get(request, Source, pk=pk)
    start = request.GET.get("start", "")
    context = {
        "source": source,
        "anchor": None,
        "anchor_error": "",
        "hint_start": start,
        "hint_prefix": request.GET.get("prefix", ""),
        "hint_suffix": request.GET.get("suffix", ""),
    }
    try:
        context["anchor"] = anchor_quote(
            source.text,
            request.GET.get("quote", ""),
            prefix=request.GET.get("prefix", ""),
            suffix=request.GET.get("suffix", ""),
            position=parse_id(start),
        )
    except AnchorError as error:
        context["anchor_error"] = str(error)
    return render(request, "desk/source.html#anchor", context)


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim_edit(request, pk):
    claim = _get(request, Claim, pk=pk, for_edit=True)
    source = claim.source
    if request.method == "GET":
        form = ClaimEditForm(initial=ClaimEditForm.initial_for(claim), source=source)
        return _render(request, CLAIM_PANEL, _source_context(request, source, form=form, editing=claim))
    form = ClaimEditForm(request.POST, source=source)
    if form.is_valid():
        try:
            form.save(claim, user=request.user)
        except StaleEdit:
            current = _get(request, Claim, pk=pk)
            form = ClaimEditForm({**request.POST.dict(), "version": current.version}, source=source)
            form.is_valid()
            context = _source_context(request, source, form=form, editing=claim, stale=current)
            context["stale_message"] = STALE_MESSAGE % {"what": kind_label(claim)}
            return _render(request, CLAIM_PANEL, context, status=409)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_claim_saved(request, source, gettext("Claim saved."))
    return _render(request, CLAIM_PANEL, _source_context(request, source, form=form, editing=claim), status=422)


def _submitted(request, done, *, fallback: str):
    if not is_partial_request(request):
        messages.success(request, gettext("Sent to review: %(records)s.") % {"records": done})
        return redirect(fallback)
    return None


@analyst_required
@require_POST
def claim_submit(request, pk):
    claim = _get(request, Claim, pk=pk, for_edit=True)
    try:
        done = submit_claim(claim, request.user)
    except ReviewError as error:
        raise PermissionDenied(" ".join(error.messages)) from None
    redirect_to = reverse("desk:source", args=[claim.source_id])
    if response := _submitted(request, done, fallback=redirect_to):
        return response
    context = _source_context(
        request, claim.source, list_message=gettext("Sent to review: %(records)s.") % {"records": done}
    )
    return render(request, "desk/source.html#claims-changed", context)


@analyst_required
@require_POST
def source_submit(request, pk):
    source = _get(request, Source, pk=pk)
    if not any(source_drafts(source, request.user)):
        raise PermissionDenied(gettext("You have no drafts in this source to send to review."))
    done = submit_source_drafts(source, request.user)
    if response := _submitted(request, done, fallback=reverse("desk:source", args=[source.pk])):
        return response
    context = _source_context(request, source, list_message=gettext("Sent to review: %(records)s.") % {"records": done})
    return render(request, "desk/source.html#claims-changed", context)


# ---------------------------------------------------------------------------
# Type-ahead and duplicate hints


@analyst_required
@require_safe
def actor_suggestions(request):
    field = request.GET.get("field", "claimant")
    if field not in ("claimant", "reported_by", "affiliation"):
        raise Http404(gettext("Suggestions are for the claimant, reported-by and affiliation fields."))
    # Stored text never holds NUL, and PostgreSQL refuses it in a query.
    term = request.GET.get(field, "").replace("\x00", "").strip()
    actors = Actor.objects.matching(term).select_related("affiliation")[:8] if len(term) >= 2 else []
    context = {"field": field, "term": term, "actors": actors}
    return render(request, "desk/suggestions.html#actors", context)


@analyst_required
@require_safe
def proposition_suggestions(request):
    field = request.GET.get("field", "proposition")
    if field not in ("proposition", "statement", "related"):
        raise Http404(gettext("Suggestions are for proposition fields."))
    term = request.GET.get(field, "").replace("\x00", "").strip()  # see actor_suggestions
    if field == "related":  # a question's related propositions, one per line: the line being typed
        term = term.splitlines()[-1].strip() if term else ""
    exclude = parse_id(request.GET.get("exclude"))
    propositions = matching.similar_propositions(term, user=request.user, exclude_pk=exclude)
    if len(term) >= 2 and not propositions:
        propositions = list(Proposition.objects.filter(statement__icontains=term).exclude(pk=exclude)[:5])
    context = {"field": field, "term": term, "propositions": propositions, "fill": field in ("proposition", "related")}
    context["append"] = field == "related"
    return render(request, "desk/suggestions.html#propositions", context)


@analyst_required
@require_safe
def similar_claims(request):
    claims = matching.similar_claims(
        request.GET.get("paraphrase", ""), user=request.user, exclude_pk=parse_id(request.GET.get("exclude"))
    )
    return render(request, "desk/suggestions.html#claims", {"claims": claims})


# ---------------------------------------------------------------------------
# Propositions


@analyst_required
@require_safe
def propositions(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "propositions": matching.search_propositions(query)}
    return _render(request, PROPOSITION_RESULTS, context)


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposition_new(request):
    form = PropositionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            proposition = Proposition.objects.create(**form.cleaned_data, created_by=request.user)
            messages.success(request, gettext("Proposition created as a draft. Add claims to its board."))
            return redirect("desk:board", proposition.slug)
        return render(request, "desk/proposition_form.html", {"form": form}, status=422)
    return render(request, "desk/proposition_form.html", {"form": form})


def _board_columns(proposition: Proposition):
    stances = (
        Stance.objects.on_boards()
        .filter(proposition=proposition)
        .select_related("claim__source", "claim__claimant", "claim__reported_by")
        .order_by("claim__source_id", "claim__start", "pk")
    )
    columns = {side: [] for side in Side}
    for stance in stances:
        columns[Side(stance.side)].append(stance)
    return [(side, columns[side]) for side in Side]


def _side_counts(proposition: Proposition):
    counts = dict(
        Stance.objects.on_boards()
        .filter(proposition=proposition)
        .values_list("side")
        .annotate(n=Count("pk"))
        .values_list("side", "n")
    )
    return [(side, counts.get(side, 0)) for side in Side]


def _csrf_token_and_secret(request) -> tuple[str, str]:
    """The visitor's CSRF token (renewing its cookie, as any page using it does), and a digest of its secret
    for the keys of what is kept per visitor: a kept form's token is valid exactly while the secret is."""
    token = get_token(request)
    return token, hashlib.sha256(request.META["CSRF_COOKIE"].encode()).hexdigest()[:16]


def _visitor_fragment(request, name: str, pk: int, template: str, context: dict) -> SafeString:
    """``template`` rendered with ``context``, kept per desk generation for this analyst and this record.

    What a card offers depends on who looks (only an author edits their
    drafts), and its forms carry the visitor's CSRF token: the fragment is
    kept per user and per CSRF secret, so it changes when the token would.
    """
    token, secret = _csrf_token_and_secret(request)
    context = {**context, "csrf_token": token, "user": request.user}
    html = cached_for_desk(
        name, pk, request.user.pk, secret, get_language(), compute=lambda: render_to_string(template, context)
    )
    return mark_safe(html)  # noqa: S308 - rendered with autoescape


def _kept_page(request, name: str, pk: int, template: str, context) -> HttpResponse:
    """A board's whole page, kept per desk generation for this analyst and record, like its cards.

    Only the plain page (a visit or a boosted navigation, no search, no message waiting) is kept: its key
    names everything it shows that no record holds: who looks, and their roles (the account's version,
    which changes with them), their CSRF secret (the forms carry its token; the token is still renewed,
    as for any page that uses it), the language, and whether htmx asked for it. ``context`` is called only
    when the page must be rendered.
    """
    if request.GET or is_partial_request(request) or has_message_waiting(request):
        return render(request, template, context())
    _, secret = _csrf_token_and_secret(request)
    request._csp_nonce = None  # a kept page is served to later requests: no nonce (desk scripts are static files)
    user = request.user
    parts = (pk, user.pk, account_version(user.pk), secret, get_language(), bool(request.htmx))
    html = cached_for_desk(
        f"{name}-page", *parts, compute=lambda: render_to_string(template, context(), request=request)
    )
    return HttpResponse(html)


def _board_columns_html(request, proposition: Proposition, columns) -> SafeString:
    """The board's columns, rendered once per desk generation for each analyst (``_visitor_fragment``)."""
    context = {"proposition": proposition, "columns": columns}
    return _visitor_fragment(request, "board-columns", proposition.pk, "desk/board.html#columns", context)


def _board_context(request, proposition: Proposition, **extra) -> dict:
    query = request.GET.get("q", "").strip()
    columns = SimpleLazyObject(lambda: _board_columns(proposition))
    return {
        "proposition": proposition,
        "columns": columns,
        "columns_html": _board_columns_html(request, proposition, columns),
        "query": query,
        "results": matching.search_claims(query, not_on=proposition) if query else [],
        "my_drafts": cached_for_desk(
            "board-drafts", proposition.pk, request.user.pk, compute=lambda: _my_draft_count(proposition, request.user)
        ),
        "sides": Side.choices,
        **extra,
    }


@analyst_required
@require_safe
def board(request, slug):
    proposition = _get(request, Proposition, slug=slug)
    if is_partial_request(request) and request.htmx.target == "claim-results":
        query = request.GET.get("q", "").strip()
        results = matching.search_claims(query, not_on=proposition) if query else []
        context = {"proposition": proposition, "query": query, "results": results, "sides": Side.choices}
        return render(request, "desk/board.html#claim-results", context)
    return _kept_page(request, "board", proposition.pk, "desk/board.html", lambda: _board_context(request, proposition))


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposition_edit(request, slug):
    proposition = _get(request, Proposition, slug=slug, for_edit=True)
    if request.method == "GET":
        form = PropositionEditForm(initial=PropositionEditForm.initial_for(proposition), proposition=proposition)
        return _render(request, PROPOSITION_FORM, {"proposition": proposition, "form": form})
    form = PropositionEditForm(request.POST, proposition=proposition)
    if form.is_valid():
        proposition.statement = form.cleaned_data["statement"]
        proposition.description = form.cleaned_data["description"]
        try:
            proposition.save_edit(
                expected_version=form.cleaned_data["version"], fields=["statement", "description"], by=request.user
            )
        except StaleEdit as stale:
            form = PropositionEditForm(
                {**request.POST.dict(), "version": stale.current.version}, proposition=proposition
            )
            form.is_valid()
            context = {"proposition": proposition, "form": form, "stale": stale.current}
            context["stale_message"] = STALE_MESSAGE % {"what": kind_label(proposition)}
            return _render(request, PROPOSITION_FORM, context, status=409)
        if not is_partial_request(request):
            messages.success(request, gettext("Proposition saved."))
            return redirect("desk:board", proposition.slug)
        return render(request, "desk/board.html#header", _board_context(request, proposition))
    return _render(request, PROPOSITION_FORM, {"proposition": proposition, "form": form}, status=422)


@analyst_required
@require_POST
def proposition_submit(request, slug):
    proposition = _get(request, Proposition, slug=slug, for_edit=True)
    proposition.submit(request.user)
    if response := _submitted(request, "1 proposition", fallback=reverse("desk:board", args=[slug])):
        return response
    context = _board_context(request, proposition, header_message=gettext("Proposition sent to review."))
    return render(request, "desk/board.html#header", context)


@analyst_required
@require_POST
def board_submit(request, slug):
    proposition = _get(request, Proposition, slug=slug)
    if not any(board_drafts(proposition, request.user)):
        raise PermissionDenied(gettext("You have no drafts on this board to send to review."))
    done = submit_board_drafts(proposition, request.user)
    if response := _submitted(request, done, fallback=reverse("desk:board", args=[slug])):
        return response
    proposition.refresh_from_db()
    context = _board_context(
        request, proposition, header_message=gettext("Sent to review: %(records)s.") % {"records": done}
    )
    return render(request, "desk/board.html#board-body", context)


# ---------------------------------------------------------------------------
# Stances on a board


def _stance_changed(request, stance: Stance, template_partial: str, message: str, *, drafts_changed=False, **extra):
    if not is_partial_request(request):
        messages.success(request, message)
        return redirect(f"{reverse('desk:board', args=[stance.proposition.slug])}#stance-{stance.pk}")
    proposition = stance.proposition
    context = {
        "stance": stance,
        "proposition": proposition,
        "counts": _side_counts(proposition),
        **extra,
    }
    if drafts_changed:  # the "send my drafts" button is swapped too
        context["my_drafts"] = _my_draft_count(proposition, request.user)
    return render(request, f"desk/board.html#{template_partial}", context)


def _my_draft_count(proposition: Proposition, user) -> int:
    return sum(len(group) for group in board_drafts(proposition, user))


@analyst_required
@require_POST
def stance_add(request, slug):
    proposition = _get(request, Proposition, slug=slug)
    form = StanceAddForm(request.POST, proposition=proposition)
    if not form.is_valid():
        if "claim" in form.errors:
            raise Http404(gettext("There is no such claim; it may have been removed."))
        message = " ".join(error for errors in form.errors.values() for error in errors)
        return refusal(request, message, status=409 if form.non_field_errors() else 422)
    claim, side = form.cleaned_data["claim"], form.cleaned_data["side"]
    removed = Stance.objects.filter(claim=claim, proposition=proposition, state=ReviewState.REMOVED).first()
    if removed is not None:  # taken off this board before: it comes back, with its history
        removed.restore(request.user, side=side)
        stance = removed
    else:
        stance = Stance.objects.create(claim=claim, proposition=proposition, side=side, created_by=request.user)
    stance = _get(request, Stance, pk=stance.pk)
    label = stance.get_side_display()
    message = gettext("Claim added to “%(side)s”.") % {"side": label}
    return _stance_changed(request, stance, "stance-added", message, drafts_changed=True, label=label)


@analyst_required
@require_safe
def stance_card(request, pk):
    stance = _get(request, Stance, pk=pk)
    if not is_partial_request(request):
        return redirect(f"{reverse('desk:board', args=[stance.proposition.slug])}#stance-{stance.pk}")
    return render(request, "desk/board.html#stance-card", {"stance": stance, "proposition": stance.proposition})


@analyst_required
@require_POST
def stance_move(request, pk):
    stance = _get(request, Stance, pk=pk, for_edit=True)
    form = StanceMoveForm(request.POST)
    if not form.is_valid():
        return _malformed_board_post(request, form)
    stance.side = form.cleaned_data["side"]
    try:
        stance.save_edit(expected_version=form.cleaned_data["version"], fields=["side"], by=request.user)
    except StaleEdit:
        return _stale_stance(request, stance)
    label = stance.get_side_display()
    return _stance_changed(request, stance, "stance-moved", gettext("Claim moved to “%(side)s”.") % {"side": label})


def _malformed_board_post(request, form):
    """A move or removal whose values no board sends (tampered or truncated): refused, nothing changed."""
    if "side" in form.errors:
        message = gettext("Choose one of the three columns (supports, disputes, qualifies) to move the claim to.")
    else:
        message = gettext(
            "The board sent this without a valid version number, so nothing was changed. Reload the board."
        )
    return refusal(request, message, status=422)


def _stale_stance(request, stance):
    message = gettext(
        "Someone else changed this stance since you loaded the board; it is shown as it is now. Try again."
    )
    if not is_partial_request(request):
        messages.error(request, message)
        return render(request, "desk/board.html", _board_context(request, stance.proposition), status=409)
    stance = _get(request, Stance, pk=stance.pk)
    context = {"stance": stance, "proposition": stance.proposition, "card_message": message}
    return render(request, "desk/board.html#stance-card", context, status=409)


@analyst_required
@require_POST
def stance_remove(request, pk):
    stance = _get(request, Stance, pk=pk)
    if stance.state != ReviewState.DRAFT:
        raise PermissionDenied(gettext("Only draft stances can be removed; what went to review stays on the board."))
    _check_editable(stance, request.user)
    form = StanceRemoveForm(request.POST)
    if not form.is_valid():
        return _malformed_board_post(request, form)
    if form.cleaned_data["version"] != stance.version:
        return _stale_stance(request, stance)
    proposition = stance.proposition
    stance.remove(request.user)
    if not is_partial_request(request):
        messages.success(request, gettext("Claim removed from the board."))
        return redirect("desk:board", proposition.slug)
    context = {"proposition": proposition, "counts": _side_counts(proposition)}
    context["my_drafts"] = _my_draft_count(proposition, request.user)
    return render(request, "desk/board.html#stance-removed", context)


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def stance_edit(request, pk):
    stance = _get(request, Stance, pk=pk)
    if not (stance.is_editable_by(request.user) or stance.claim.is_editable_by(request.user)):
        _check_editable(stance, request.user)  # raises, saying why
    if request.method == "GET":
        form = StanceEditForm(initial=StanceEditForm.initial_for(stance), stance=stance, user=request.user)
        return _render(request, STANCE_FORM, _stance_form_context(stance, form))
    form = StanceEditForm(request.POST, stance=stance, user=request.user)
    if form.is_valid():
        try:
            form.save(user=request.user)
        except StaleEdit:
            current = _get(request, Stance, pk=pk)
            versions = {"claim_version": current.claim.version, "stance_version": current.version}
            form = StanceEditForm({**request.POST.dict(), **versions}, stance=current, user=request.user)
            form.is_valid()
            context = _stance_form_context(current, form, stale=current)
            context["stale_message"] = STALE_MESSAGE % {"what": kind_label(stance)}
            return _render(request, STANCE_FORM, context, status=409)
        return _stance_changed(request, _get(request, Stance, pk=pk), "stance-card", gettext("Saved."))
    return _render(request, STANCE_FORM, _stance_form_context(stance, form), status=422)


def _stance_form_context(stance, form, **extra) -> dict:
    return {"stance": stance, "proposition": stance.proposition, "form": form, **extra}


@analyst_required
@require_POST
def stance_submit(request, pk):
    stance = _get(request, Stance, pk=pk, for_edit=True)
    stance.submit(request.user)
    stance = _get(request, Stance, pk=pk)
    return _stance_changed(request, stance, "stance-updated", gettext("Stance sent to review."), drafts_changed=True)


# ---------------------------------------------------------------------------
# Proposing changes to approved records (revisions, approved by a reviewer)

REVISION_SENT = gettext_lazy(
    "Change sent to review. Readers keep seeing the approved version until a reviewer approves it."
)


# The form that proposes a change to each kind of record (``for_record`` builds it).
REVISION_FORMS = {
    Claim: ClaimRevisionForm,
    Stance: StanceRevisionForm,
    Proposition: PropositionRevisionForm,
    Question: QuestionRevisionForm,
    Answer: AnswerRevisionForm,
}


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def revise(request, model, **lookup):
    """Show the "propose a change" form for an approved ``model`` record, or store it as a revision for review.

    One view for claims, stances, propositions, questions and answers: the URL
    names the model (desk/urls.py) and the record's ``pk`` or ``slug``.
    """
    record = _get(request, model, for_revision=True, **lookup)
    form_class = REVISION_FORMS[model]
    if request.method != "POST":
        return _render(request, REVISION_PANEL, _revision_context(record, form_class.for_record(record)))
    form = form_class.for_record(record, request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():  # a new actor named in the form is not kept if the proposal fails
                revision = record.propose_revision(
                    request.user,
                    form.changes(request.user),
                    note=form.cleaned_data["revision_note"],
                    expected_version=form.cleaned_data["version"],
                )
        except StaleEdit as stale:
            form = form_class.for_record(record, {**request.POST.dict(), "version": stale.current.version})
            form.is_valid()
            context = _revision_context(stale.current, form, stale=stale.current)
            context["stale_message"] = STALE_MESSAGE % {"what": _what(record)}
            return _render(request, REVISION_PANEL, context, status=409)
        except ValidationError as error:
            fields = getattr(error, "error_dict", {})
            form.add_error(None, error if fields and set(fields) <= set(form.fields) else " ".join(error.messages))
        else:
            if not is_partial_request(request):
                messages.success(request, REVISION_SENT)
                return redirect(_revision_place(record)["back_url"])
            return _render(request, REVISION_PANEL, _revision_context(record, None, proposed=revision))
    return _render(request, REVISION_PANEL, _revision_context(record, form), status=422)


def _revision_place(record) -> dict:
    """Where the panel for ``record`` sits on its page, and where to go back to."""
    if isinstance(record, Claim):
        return {
            "panel_id": "claim-panel",
            "action_url": reverse("desk:claim_revise", args=[record.pk]),
            "back_url": f"{reverse('desk:source', args=[record.source_id])}#claim-{record.pk}",
            "close_hx": reverse("desk:claim_new", args=[record.source_id]),
            # The panel's address was pushed when it opened; closing it returns to the source's.
            "close_push_url": reverse("desk:source", args=[record.source_id]),
        }
    if isinstance(record, Stance):
        return {
            "panel_id": f"stance-{record.pk}",
            "action_url": reverse("desk:stance_revise", args=[record.pk]),
            "back_url": f"{reverse('desk:board', args=[record.proposition.slug])}#stance-{record.pk}",
            "close_hx": reverse("desk:stance_card", args=[record.pk]),
        }
    if isinstance(record, Question):
        return {
            "panel_id": "question-header",
            "action_url": reverse("desk:question_revise", args=[record.slug]),
            "back_url": reverse("desk:question", args=[record.slug]),
            "close_hx": "",
        }
    if isinstance(record, Answer):
        return {
            "panel_id": f"answer-{record.pk}",
            "action_url": reverse("desk:answer_revise", args=[record.pk]),
            "back_url": f"{reverse('desk:question', args=[record.question.slug])}#answer-{record.pk}",
            "close_hx": reverse("desk:answer_card", args=[record.pk]),
        }
    return {
        "panel_id": "board-header",
        "action_url": reverse("desk:proposition_revise", args=[record.slug]),
        "back_url": reverse("desk:board", args=[record.slug]),
        "close_hx": "",
    }


def _revision_context(record, form, *, proposed=None, **extra) -> dict:
    return {
        "record": record,
        "what": _what(record),
        "form": form,
        "proposed": proposed,
        "pending": None if proposed else record.pending_revision(),
        "proposed_message": REVISION_SENT,
        **_revision_place(record),
        **extra,
    }


# ---------------------------------------------------------------------------
# Actors: created and described at the desk, reviewed like everything else


@analyst_required
@require_safe
def actors(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "actors": matching.search_actors(query)}
    return _render(request, ACTOR_RESULTS, context)


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def actor_new(request):
    form = ActorForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            actor = Actor.objects.create(**form.values(), created_by=request.user)
            messages.success(
                request, gettext("Actor created as a draft. Send it to review when its description is ready.")
            )
            return redirect("desk:actor", actor.slug)
        return render(request, "desk/actor.html", {"form": form}, status=422)
    return render(request, "desk/actor.html", {"form": form})


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def actor(request, slug):
    """An actor's page: edited in place while it is its author's draft, changed by a revision once approved."""
    actor = _get(request, Actor, slug=slug)
    editable, revisable = actor.is_editable_by(request.user), actor.is_public
    form_class = ActorEditForm if editable else ActorRevisionForm
    pending = actor.pending_revision() if revisable else None
    if request.method == "GET":
        form = form_class(initial=form_class.initial_for(actor), actor=actor) if editable or revisable else None
        return render(request, "desk/actor.html", _actor_context(request, actor, form, pending=pending))
    if not editable and not revisable:
        _check_editable(actor, request.user)  # raises, saying why
    form = form_class(request.POST, actor=actor)
    if not form.is_valid():
        return render(request, "desk/actor.html", _actor_context(request, actor, form, pending=pending), status=422)
    try:
        if editable:
            for name, value in form.values().items():
                setattr(actor, name, value)
            actor.save_edit(expected_version=form.cleaned_data["version"], fields=list(form.values()), by=request.user)
            message = gettext("Actor saved.")
        else:
            actor.propose_revision(
                request.user,
                form.changes(request.user),
                note=form.cleaned_data["revision_note"],
                expected_version=form.cleaned_data["version"],
            )
            message = REVISION_SENT
    except StaleEdit as stale:
        form = form_class({**request.POST.dict(), "version": stale.current.version}, actor=actor)
        form.is_valid()
        current = _get(request, Actor, slug=slug)
        context = _actor_context(request, current, form, pending=pending, stale=stale.current)
        context["stale_message"] = STALE_MESSAGE % {"what": kind_label(actor)}
        return render(request, "desk/actor.html", context, status=409)
    except ValidationError as error:
        form.add_error(None, " ".join(error.messages))
        return render(request, "desk/actor.html", _actor_context(request, actor, form, pending=pending), status=422)
    messages.success(request, message)
    return redirect("desk:actor", actor.slug)


def _actor_context(request, actor, form, *, pending=None, **extra) -> dict:
    """The actor page: the actor, its form (edit in place or propose a change) and its latest claims."""
    claims = Claim.objects.filter(Q(claimant=actor) | Q(reported_by=actor)).select_related("source")
    return {
        "actor": actor,
        "form": form,
        "pending": pending,
        "editable": actor.is_editable_by(request.user),
        "claims": claims.defer("source__text").order_by("-updated_at", "-pk")[:10],
        **extra,
    }


@analyst_required
@require_POST
def actor_submit(request, slug):
    actor = _get(request, Actor, slug=slug)
    _check_editable(actor, request.user)
    body = actor.affiliation
    with transaction.atomic():  # the body it belongs to is approved first: send the user's own draft along
        if body is not None and body.is_editable and body.created_by_id == request.user.pk:
            body.submit(request.user)
        actor.submit(request.user)
    messages.success(
        request, gettext("Actor sent to review. Readers see it once a reviewer approves it and one of its claims.")
    )
    return redirect("desk:actor", actor.slug)


# ---------------------------------------------------------------------------
# Captures and re-checks

# Captures listed on a source's desk page, latest first (the admin lists them all).
CAPTURES_LISTED = 20


@dataclass(frozen=True)
class ListedCaptures:
    rows: list[Capture]
    more: bool  # older captures exist beyond those listed


def _listed_captures(source: Source) -> ListedCaptures:
    """The source's latest captures with their quote checks counted by result, in one query."""
    counts = {
        f"{outcome}_count": Count("quote_checks", filter=Q(quote_checks__outcome=outcome))
        for outcome in QuoteCheck.Outcome.values
    }
    captures = source.captures.without_archive().defer("text").annotate(**counts).order_by("-retrieved_at", "-pk")
    rows = list(captures[: CAPTURES_LISTED + 1])
    return ListedCaptures(rows[:CAPTURES_LISTED], more=len(rows) > CAPTURES_LISTED)


@analyst_required
@require_POST
def source_recheck(request, pk):
    """Fetch the source's address again now and compare every claim's quote with the page (sources.recheck)."""
    source = _get(request, Source, pk=pk)
    if not source.url:
        return refusal(request, gettext("This source has no address, so there is no page to re-check."), status=409)
    recheck = recheck_source(source, user=request.user)
    if recheck.capture.succeeded:
        messages.success(request, gettext("Re-checked. %(summary)s") % {"summary": recheck.summary()})
    else:
        messages.error(
            request, gettext("The page could not be re-checked. %(problem)s") % {"problem": recheck.capture.problem}
        )
    return redirect(reverse("desk:source", args=[source.pk]) + "#captures")


# ---------------------------------------------------------------------------
# Questions and answers: disputed facts, each answer the value a claim's quote states

RECORDS[Question] = (Question.objects.all(), gettext_lazy("There is no such question."))
RECORDS[Answer] = (
    Answer.objects.select_related("question", "claim__source", "claim__claimant", "claim__reported_by", "actor").defer(
        "claim__source__text"
    ),
    gettext_lazy("There is no such answer."),
)
QUESTION_RESULTS = ("desk/questions.html", "desk/questions.html#results")
QUESTION_FORM = ("desk/question_form.html", "desk/question_board.html#question-form")
ANSWER_FORM = ("desk/answer_edit.html", "desk/question_board.html#answer-form")
# A question's answers in value order (as on its public page), then oldest first.
ANSWER_ORDER = ("date_low", "date_high", "number_low", "number_high", "actor__name", "yes_no", "pk")


@dataclass
class QuestionAnswers:
    """A question's answers at the desk, in every state: grouped by value, and which values conflict.

    Unlike the public page, the conflicts are computed on every answer that is
    not rejected, so an analyst sees a contradiction coming before a reviewer
    publishes it; ``public_groups`` says which values readers can already see.
    """

    question: Question
    answers: list[Answer]

    @cached_property
    def groups(self) -> list[ValueGroup]:
        return group_by_value([answer for answer in self.answers if answer.state != ReviewState.REJECTED])

    @cached_property
    def rejected(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.state == ReviewState.REJECTED]

    @cached_property
    def conflicts(self) -> list[GroupConflict]:
        return group_conflicts(self.groups)

    @cached_property
    def public_groups(self) -> set[int]:
        """The numbers of the groups with an answer readers see (answer, claim and question approved)."""
        if not self.question.is_public:
            return set()
        return {
            group.number
            for group in self.groups
            if any(answer.is_public and answer.claim.is_public for answer in group.answers)
        }

    def my_drafts(self, user) -> int:
        """What "send my drafts" on the board sends (submission.question_drafts), counted from the answers loaded."""
        mine = [a for a in self.answers if a.created_by_id == user.pk and a.state == ReviewState.DRAFT]
        claims = {a.claim_id for a in mine if a.claim.created_by_id == user.pk and a.claim.state == ReviewState.DRAFT}
        question = self.question
        return len(mine) + len(claims) + (question.created_by_id == user.pk and question.state == ReviewState.DRAFT)


def _question_answers(question: Question) -> QuestionAnswers:
    answers = list(
        Answer.objects.filter(question=question)
        .select_related("claim__source", "claim__claimant", "claim__reported_by", "actor")
        .defer("claim__source__text")
        .order_by(*ANSWER_ORDER)
    )
    for answer in answers:
        answer.question = question  # every answer's question is this one: no query per answer
    return QuestionAnswers(question, answers)


def _question_context(request, question: Question, *, query: str | None = None, **extra) -> dict:
    """The question board's context. Its answers are read only if their fragment must be rendered: a plain view
    of the board (no message for one answer) takes them from ``_visitor_fragment``."""
    answers = SimpleLazyObject(lambda: _question_answers(question))
    query = request.GET.get("q", "").strip() if query is None else query
    context = {
        "question": question,
        "answers": answers,
        "related": list(question.propositions.all()),
        "my_drafts": cached_for_desk(
            "question-drafts", question.pk, request.user.pk, compute=lambda: answers.my_drafts(request.user)
        ),
        "query": query,
        "results": matching.search_claims(query, not_answering=question) if query else [],
        "value_help": value_help(question),
        **extra,
    }
    if "answers_message" not in extra:  # a message for one answer is rendered into the region itself
        template = "desk/question_board.html#answers-region"
        context["answers_html"] = _visitor_fragment(request, "question-answers", question.pk, template, context)
    return context


@analyst_required
@require_safe
def questions(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "questions": matching.search_questions(query)}
    return _render(request, QUESTION_RESULTS, context)


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_new(request):
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            question = form.create(user=request.user)
            messages.success(request, gettext("Question created as a draft. Add the claims that answer it."))
            return redirect("desk:question", question.slug)
        return render(request, "desk/question_form.html", {"form": form}, status=422)
    return render(request, "desk/question_form.html", {"form": form})


@analyst_required
@require_safe
def question(request, slug):
    """A question's board: its answers in every state, grouped by value, and claims to add as answers."""
    question = _get(request, Question, slug=slug)
    if is_partial_request(request) and request.htmx.target == "answer-claim-results":
        query = request.GET.get("q", "").strip()
        results = matching.search_claims(query, not_answering=question) if query else []
        context = {"question": question, "query": query, "results": results, "value_help": value_help(question)}
        return render(request, "desk/question_board.html#answer-claim-results", context)
    return _kept_page(
        request, "question", question.pk, "desk/question_board.html", lambda: _question_context(request, question)
    )


def _question_body(request, question: Question, **extra):
    """For HTMX: the whole board again (its header, answers and drafts count), wherever the request aimed."""
    response = render(request, "desk/question_board.html#question-body", _question_context(request, question, **extra))
    return reswap(retarget(response, "#question-body"), "outerHTML")


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request, slug):
    question = _get(request, Question, slug=slug, for_edit=True)
    if request.method != "POST":
        form = QuestionEditForm(initial=QuestionEditForm.initial_for(question), question=question)
        return _render(request, QUESTION_FORM, {"question": question, "form": form})
    form = QuestionEditForm(request.POST, question=question)
    if form.is_valid():
        try:
            form.save(user=request.user)
        except StaleEdit as stale:
            form = QuestionEditForm({**request.POST.dict(), "version": stale.current.version}, question=question)
            form.is_valid()
            context = {"question": question, "form": form, "stale": stale.current}
            context["stale_message"] = STALE_MESSAGE % {"what": kind_label(question)}
            return _render(request, QUESTION_FORM, context, status=409)
        if not is_partial_request(request):
            messages.success(request, gettext("Question saved."))
            return redirect("desk:question", question.slug)
        return _question_body(request, question, header_message=gettext("Question saved."))
    return _render(request, QUESTION_FORM, {"question": question, "form": form}, status=422)


@analyst_required
@require_POST
def question_submit(request, slug):
    question = _get(request, Question, slug=slug, for_edit=True)
    question.submit(request.user)
    if response := _submitted(request, "1 question", fallback=reverse("desk:question", args=[slug])):
        return response
    return _question_body(request, question, header_message=gettext("Question sent to review."))


@analyst_required
@require_POST
def question_submit_drafts(request, slug):
    """Send my draft answers to this question to review, with my draft claims they rest on and the question."""
    question = _get(request, Question, slug=slug)
    if not any(question_drafts(question, request.user)):
        raise PermissionDenied(gettext("You have no drafts on this question to send to review."))
    done = submit_question_drafts(question, request.user)
    if response := _submitted(request, done, fallback=reverse("desk:question", args=[slug])):
        return response
    question.refresh_from_db()
    return _question_body(request, question, header_message=gettext("Sent to review: %(records)s.") % {"records": done})


@analyst_required
@require_POST
def answer_add(request, slug):
    """Add a claim found by the board's search as an answer, with the value its quote states."""
    question = _get(request, Question, slug=slug)
    form = QuestionAnswerForm(request.POST, question=question)
    if not form.is_valid():
        if "claim" in form.errors:
            raise Http404(gettext("There is no such claim; it may have been removed."))
        claim = form.cleaned_data["claim"]
        query = request.POST.get("q", "").strip()
        status = 409 if form.non_field_errors() else 422  # answered already, or a value that does not fit
        if is_partial_request(request):
            context = {"question": question, "claim": claim, "form": form, "query": query}
            context["value_help"] = value_help(question)
            return render(request, "desk/question_board.html#answer-result", context, status=status)
        context = _question_context(request, question, query=query, failed_form=form, failed_claim=claim)
        return render(request, "desk/question_board.html", context, status=status)
    answer = form.save(user=request.user)
    message = gettext("Answer “%(value)s” added as a draft.") % {"value": answer.value_display}
    if not is_partial_request(request):
        messages.success(request, message)
        return redirect(f"{reverse('desk:question', args=[slug])}#answer-{answer.pk}")
    context = _question_context(request, question, answer=answer, answers_message=message)
    return render(request, "desk/question_board.html#answer-added", context)


@analyst_required
@require_safe
def answer_card(request, pk):
    answer = _get(request, Answer, pk=pk)
    if not is_partial_request(request):
        return redirect(f"{reverse('desk:question', args=[answer.question.slug])}#answer-{answer.pk}")
    return render(request, "desk/question_board.html#answer-card", {"answer": answer, "question": answer.question})


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_edit(request, pk):
    answer = _get(request, Answer, pk=pk, for_edit=True)
    context = {"answer": answer, "question": answer.question}
    if request.method != "POST":
        form = AnswerEditForm(initial=AnswerEditForm.initial_for(answer), answer=answer)
        return _render(request, ANSWER_FORM, {**context, "form": form})
    form = AnswerEditForm(request.POST, answer=answer)
    if form.is_valid():
        try:
            form.save(user=request.user)
        except StaleEdit as stale:
            current = _get(request, Answer, pk=pk)
            form = AnswerEditForm({**request.POST.dict(), "version": current.version}, answer=current)
            form.is_valid()
            context |= {
                "form": form,
                "stale": stale.current,
                "stale_message": STALE_MESSAGE % {"what": kind_label(answer)},
            }
            return _render(request, ANSWER_FORM, context, status=409)
        message = gettext("Answer saved: “%(value)s”.") % {"value": answer.value_display}
        if not is_partial_request(request):
            messages.success(request, message)
            return redirect(f"{reverse('desk:question', args=[answer.question.slug])}#answer-{answer.pk}")
        return _question_body(request, answer.question, answers_message=message)
    return _render(request, ANSWER_FORM, {**context, "form": form}, status=422)


@analyst_required
@require_POST
def answer_submit(request, pk):
    """Send one answer to review, with the user's draft claim and question it rests on (Reviewable.submit)."""
    answer = _get(request, Answer, pk=pk, for_edit=True)
    answer.submit(request.user)
    board = reverse("desk:question", args=[answer.question.slug])
    if not is_partial_request(request):
        messages.success(request, gettext("Answer sent to review."))
        return redirect(f"{board}#answer-{answer.pk}")
    return _question_body(request, answer.question, answers_message=gettext("Answer sent to review."))


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim_answer(request, pk):
    """The claim panel's "answers a question": the question this claim answers and the value its quote states."""
    claim = _get(request, Claim, pk=pk)
    source = claim.source
    if request.method != "POST":
        form = ClaimAnswerForm(claim=claim, auto_id="id_answer_%s")
        context = _source_context(request, source, answer_claim=claim, answer_form=form, answer_opened=True)
        return _render(request, CLAIM_PANEL, context)
    form = ClaimAnswerForm(request.POST, claim=claim, auto_id="id_answer_%s")
    if form.is_valid():
        answer = form.save(user=request.user)
        message = gettext("Answer to “%(question)s” recorded as a draft: %(value)s.") % {
            "question": answer.question.text,
            "value": answer.value_display,
        }
        if not is_partial_request(request):
            messages.success(request, message)
            return redirect(f"{reverse('desk:source', args=[source.pk])}#claim-{claim.pk}")
        fresh = ClaimAnswerForm(claim=claim, auto_id="id_answer_%s")
        context = _source_context(request, source, answer_claim=claim, answer_form=fresh, answer_saved=message)
        return render(request, "desk/source.html#answer-saved", context)
    context = _source_context(request, source, answer_claim=claim, answer_form=form)
    template = "desk/source.html#answer-box" if is_partial_request(request) else "desk/source.html"
    return render(request, template, context, status=422)


@analyst_required
@require_safe
def question_suggestions(request):
    """Questions whose text holds every word typed, for the claim panel's "answers a question"."""
    term = request.GET.get("question", "").replace("\x00", "").strip()  # see actor_suggestions
    found = matching.search_questions(term, limit=8) if len(term) >= 2 else []
    context = {"term": term, "questions": [(question, value_help(question)) for question in found]}
    return render(request, "desk/suggestions.html#questions", context)
