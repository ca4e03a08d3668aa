"""The review queue: what waits for reviewers, and their decisions on it.

Reviewers start here (everything pending, oldest first) and approve, reject
(with a reason, asked for on a confirmation page) or return records to draft,
in bulk or one at a time. The admin's change lists and change pages use the
same rejection page and messages (``confirm_rejection``, ``report_outcome``).
Every decision goes through the model methods (claims.models.review_records),
which check the rules, stamp who and when and write the audit trail.

The views are wired into the admin site by claims.admin_site, whose
``admin_view`` lets only active staff in; who among them may review is
claims.roles.is_reviewer.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from claims.models import REVIEW_ORDER, Claim, Proposition, ReviewState, Stance, review_records
from claims.roles import is_reviewer
from config.middleware import parse_id

QUEUE_LIMIT = 100
QUEUE_KINDS = {model._meta.model_name: model for model in REVIEW_ORDER}
ACTION_WORDS = {
    # action: (what the success message says, what the refusal says)
    "submit": ("Submitted for review", "Not submitted"),
    "approve": ("Approved", "Not approved"),
    "reject": ("Rejected", "Not rejected"),
    "return_to_draft": ("Returned to draft", "Not returned to draft"),
}


def admin_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


# What a queue row (and the rejection page) shows of each kind of record.
QUEUE_RELATED = {
    "source": ("created_by",),
    "actor": ("created_by", "affiliation"),
    "proposition": ("created_by",),
    "claim": ("created_by", "claimant", "reported_by", "source"),
    "stance": ("created_by", "claim__claimant", "proposition"),
    "question": ("created_by",),
    "answer": ("created_by", "claim__claimant", "question"),
    "translation": ("created_by", "claim__claimant", "claim__source", "source"),
    "revision": ("created_by", "content_type"),
}


# Source texts can be long and the queue shows only titles.
QUEUE_DEFERRED = {
    "claim": ("source__text",),
    "source": ("text",),
    "translation": ("claim__source__text", "source__text"),
}


def queue_queryset(kind: str, queryset=None):
    queryset = QUEUE_KINDS[kind].objects.all() if queryset is None else queryset
    queryset = queryset.select_related(*QUEUE_RELATED[kind]).defer(*QUEUE_DEFERRED.get(kind, ()))
    # A revision is shown with the record it changes: one query per kind of record changed.
    return queryset.prefetch_related("record") if kind == "revision" else queryset


def queue_querysets() -> dict:
    """What waits for review, per kind, oldest submission first."""
    return {kind: queue_queryset(kind, model.objects.awaiting_review()) for kind, model in QUEUE_KINDS.items()}


def work_summary(user) -> dict:
    """Counts for the admin index: the queue for reviewers, their own work for analysts."""
    if is_reviewer(user):
        counts = []
        for kind, queryset in queue_querysets().items():
            count, opts = queryset.count(), QUEUE_KINDS[kind]._meta
            counts.append(
                {"kind": kind, "label": opts.verbose_name if count == 1 else opts.verbose_name_plural, "count": count}
            )
        return {"queue_counts": counts, "queue_total": sum(row["count"] for row in counts)}
    if not user.is_active or not user.is_staff:
        return {}
    mine = []
    for model in (Proposition, Claim, Stance):
        by_state = dict(model.objects.filter(created_by=user).order_by().values_list("state").annotate(n=Count("pk")))
        changelist = reverse(f"admin:claims_{model._meta.model_name}_changelist")
        mine.append(
            {
                "label": model._meta.verbose_name_plural,
                "states": [
                    {
                        "label": state.label,
                        "state": state.value,
                        "count": by_state.get(state, 0),
                        "url": f"{changelist}?created_by__id__exact={user.pk}&state__exact={state.value}",
                    }
                    for state in ReviewState
                ],
            }
        )
    return {"my_work": mine}


@dataclass
class QueueItem:
    kind: str
    record: object

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.record.pk}"

    @property
    def url(self) -> str:
        return admin_url(self.record)

    @property
    def label(self) -> str:
        return QUEUE_KINDS[self.kind]._meta.verbose_name


def records_from_keys(keys: list[str]) -> list:
    """The records named by queue keys such as ``claim:12``; unknown keys are ignored."""
    wanted = defaultdict(set)
    for key in keys:
        kind, _, pk = key.partition(":")
        if kind in QUEUE_KINDS and (pk := parse_id(pk)) is not None:
            wanted[kind].add(pk)
    records = []
    for kind, pks in wanted.items():
        # Not only pending ones: the model methods say why a record cannot move.
        records += queue_queryset(kind).filter(pk__in=pks)
    return records


def review_queue(request):
    """The reviewers' entry point: everything pending, oldest first, with bulk actions."""
    if not is_reviewer(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return act_on_queue(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in QUEUE_KINDS else None
    querysets = queue_querysets()
    counts = {name: queryset.count() for name, queryset in querysets.items()}
    items = [
        QueueItem(name, record)
        for name, queryset in querysets.items()
        if kind in (None, name)
        for record in queryset[:QUEUE_LIMIT]
    ]
    items.sort(key=lambda item: (item.record.submitted_at or timezone.now(), list(QUEUE_KINDS).index(item.kind)))
    context = {
        **admin.site.each_context(request),
        "title": "Review queue",
        "subtitle": None,
        "items": items[:QUEUE_LIMIT],
        "tabs": [(name, QUEUE_KINDS[name]._meta.verbose_name_plural, counts[name]) for name in QUEUE_KINDS],
        "total": sum(counts.values()),
        "shown_total": counts[kind] if kind else sum(counts.values()),
        "kind": kind,
        "limit": QUEUE_LIMIT,
        "four_eyes": settings.REVIEW_FOUR_EYES,
    }
    return TemplateResponse(request, "admin/review/queue.html", context)


def act_on_queue(request):
    back = request.get_full_path()
    action = request.POST.get("action", "")
    if action not in ("approve", "reject", "return_to_draft"):
        messages.warning(request, "Choose what to do with the selected items. Nothing was changed.")
        return redirect(back)
    records = records_from_keys(request.POST.getlist("item"))
    if not records:
        messages.warning(request, "Select the items to act on first. Nothing was changed.")
        return redirect(back)
    if action == "reject":
        return confirm_rejection(request, records, cancel_url=back) or redirect(back)
    report_outcome(request, action, review_records(records, action, request.user))
    return redirect(back)


# ---------------------------------------------------------------------------
# Rejecting (with a reason) and reporting what happened


def describe(records) -> str:
    """“claim “…”” for a few records, “12 claims, 3 stances” for many."""
    if len(records) <= 3:
        return "; ".join(f"{record._meta.verbose_name} “{Truncator(str(record)).chars(70)}”" for record in records)
    by_kind = Counter(type(record) for record in records)
    return ", ".join(
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in sorted(by_kind.items(), key=lambda item: REVIEW_ORDER.index(item[0]))
    )


def report_outcome(request, action: str, outcome) -> None:
    done, not_done = ACTION_WORDS[action]
    if outcome.done:
        messages.success(request, f"{done}: {describe(outcome.done)}.")
    refusals = defaultdict(list)
    for record, reason in outcome.refused:
        refusals[reason].append(record)
    for reason, records in refusals.items():
        messages.error(request, f"{not_done}: {describe(records)}. {reason}")


def rejection_title(records) -> str:
    if len(records) == 1:
        return f"Reject this {records[0]._meta.verbose_name}?"
    return f"Reject {describe(records) if len(records) > 3 else f'these {len(records)} items'}?"


def confirm_rejection(request, records, *, cancel_url: str):
    """Ask for the reason before rejecting; reject once it is given. Returns a page, or None when done.

    The page posts back to the URL it came from with every field it was sent,
    so the same confirmation serves the queue, change lists and change pages.
    """
    reason = request.POST.get("reason", "").strip()
    error = ""
    if request.POST.get("confirm_reject") == "yes":
        if reason:
            report_outcome(request, "reject", review_records(records, "reject", request.user, reason=reason))
            return None
        error = "A reason is required to reject: the analyst reads it to fix their work."
    carried = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "reason", "confirm_reject")
        for value in request.POST.getlist(name)
    ]
    context = {
        **admin.site.each_context(request),
        "title": rejection_title(records),
        "subtitle": None,
        "records": [(record._meta.verbose_name, record, admin_url(record)) for record in records],
        "carried": carried,
        "reason": reason,
        "error": error,
        "cancel_url": cancel_url,
    }
    return TemplateResponse(request, "admin/review/reject_confirmation.html", context, status=400 if error else 200)
