"""Webhooks: the addresses administrators register, and the log of every delivery to them.

An ``Endpoint`` asks for some ``Event`` kinds. When one happens and its
transaction commits, each active endpoint that asked for it gets a
``Delivery``: the JSON body, fixed once, which a worker POSTs, signed afresh at
each ``Attempt``, until the receiver answers 2xx or the attempts run out
(``retry_delay``). See webhooks.events for the bodies and webhooks.sending for
the request.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from webhooks.sending import address_refusal

# A delivery claimed by a worker longer ago than this was lost with its worker: "Retry now" may take it back.
STUCK_AFTER = timedelta(minutes=2)


class Event(models.TextChoices):
    RECORD_APPROVED = "record.approved", _("A record approved")
    RECORD_WITHDRAWN = "record.withdrawn", _("A record withdrawn (returned to draft after approval)")
    CONTRADICTION_NEW = "contradiction.new", _("A new contradiction")
    SOURCE_CHANGED = "source.changed", _("A source changed on re-check")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def retry_delay(attempt: int) -> timedelta | None:
    """How long after failed attempt number ``attempt`` the next one is made; None once none is left.

    Exponential: WEBHOOK_RETRY_BASE_SECONDS after the first, twice as long after each further one,
    until WEBHOOK_MAX_ATTEMPTS attempts have been made.
    """
    if attempt >= settings.WEBHOOK_MAX_ATTEMPTS:
        return None
    return timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempt - 1))


class EndpointQuerySet(models.QuerySet):
    def subscribed_to(self, event: str) -> list["Endpoint"]:
        """The active endpoints that asked for ``event``.

        Read in Python: a JSON list cannot be searched alike on SQLite and PostgreSQL, and endpoints are few.
        """
        return [endpoint for endpoint in self.filter(active=True) if event in endpoint.events]


class Endpoint(models.Model):
    name = models.CharField(_("name"), max_length=100, help_text=_("Who receives the events, e.g. “Newsroom alerts”."))
    url = models.CharField(
        _("address"),
        max_length=2000,
        help_text=_(
            "Where the events are POSTed: http:// or https://, at a public address "
            "(private ones only when WEBHOOK_ALLOW_PRIVATE is on). Redirects are not followed."
        ),
    )
    secret = models.CharField(
        _("secret"),
        max_length=200,
        default=new_secret,
        validators=[MinLengthValidator(16)],
        help_text=_(
            "Shared with the receiver, which checks each delivery's signature with it. "
            "Generated for you; change it to rotate."
        ),
    )
    events = models.JSONField(_("events"), default=list, help_text=_("The events this address receives."))
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive endpoints receive nothing, not even deliveries queued before.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        unknown = [event for event in self.events or [] if event not in Event.values]
        if unknown:
            raise ValidationError({"events": _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}})
        if self.url:
            self.url = self.url.strip()
            if refusal := address_refusal(self.url):
                raise ValidationError({"url": refusal})

    @property
    def event_labels(self) -> list[str]:
        return [str(Event(event).label) for event in Event.values if event in self.events]


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting for its first attempt")
    SENDING = "sending", _("Being sent")
    RETRYING = "retrying", _("Failed; will be tried again")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Given up")


WAITING_STATES = (DeliveryState.PENDING, DeliveryState.RETRYING)


class Delivery(models.Model):
    """One event for one endpoint: the body as sent, where it stands, and what the receiver last said."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event = models.CharField(_("event"), max_length=30, choices=Event)
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, help_text=_("The same for every endpoint."))
    body = models.TextField(_("body"), help_text=_("The JSON sent, exactly; its signature is made at each attempt."))
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_excerpt = models.TextField(_("response (start)"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("deliveries")
        permissions = [("retry_delivery", "Can retry deliveries at once")]
        indexes = [
            # The delivery log, newest first, and its filter by state.
            models.Index(fields=["-created_at"], name="delivery_created_idx"),
            models.Index(fields=["state", "-created_at"], name="delivery_state_idx"),
        ]

    def __str__(self):
        return f"{self.get_event_display()} → {self.endpoint} ({self.get_state_display().lower()})"

    @property
    def can_retry_now(self) -> bool:
        """Anything not delivered, except what a worker is sending right now."""
        if self.state == DeliveryState.DELIVERED:
            return False
        if self.state == DeliveryState.SENDING:
            return self.last_attempt_at is None or self.last_attempt_at < timezone.now() - STUCK_AFTER
        return True

    def retry_now(self) -> bool:
        """Queue the next attempt to run at once (it ignores the back-off); False if it cannot be retried now."""
        from webhooks.tasks import deliver  # the task module imports this one

        with transaction.atomic():
            current = Delivery.objects.select_for_update().get(pk=self.pk)
            if not current.can_retry_now:
                return False
            current.state = DeliveryState.RETRYING if current.attempts else DeliveryState.PENDING
            current.next_attempt_at = timezone.now()
            current.save(update_fields=["state", "next_attempt_at"])
            deliver.enqueue(current.pk, current.attempts + 1)
        self.refresh_from_db()
        return True

    @classmethod
    def claim(cls, pk: int, attempt: int) -> bool:
        """Take the delivery for attempt number ``attempt``; False if that attempt was made or is not due.

        One conditional UPDATE: of two workers running the same attempt, only one gets it, and a
        task queued for an attempt that "Retry now" already made does nothing.
        """
        return bool(
            cls.objects.filter(pk=pk, attempts=attempt - 1, state__in=WAITING_STATES).update(
                state=DeliveryState.SENDING, attempts=attempt, last_attempt_at=timezone.now(), next_attempt_at=None
            )
        )

    def record_attempt(
        self, attempt: int, *, started_at, duration_ms: int, status: int | None, excerpt: str, error: str
    ) -> "Attempt | None":
        """Log attempt number ``attempt`` and move on: delivered on a 2xx answer, else retried later or given up.

        Returns None (and logs nothing) if the delivery was taken back meanwhile ("Retry now" on a lost worker).
        A retry is queued in the same transaction.
        """
        from webhooks.tasks import deliver  # the task module imports this one

        with transaction.atomic():
            current = Delivery.objects.select_for_update().get(pk=self.pk)
            if current.attempts != attempt or current.state != DeliveryState.SENDING:
                return None
            delivered = status is not None and 200 <= status < 300
            delay = None if delivered else retry_delay(attempt)
            self.attempts = attempt
            self.response_status, self.response_excerpt, self.last_error = status, excerpt, error
            if delivered:
                self.state, self.delivered_at, self.next_attempt_at = DeliveryState.DELIVERED, timezone.now(), None
            elif delay is not None:
                self.state, self.next_attempt_at = DeliveryState.RETRYING, timezone.now() + delay
            else:
                self.state, self.next_attempt_at = DeliveryState.FAILED, None
            changed = ["attempts", "state", "delivered_at", "next_attempt_at"]
            self.save(update_fields=[*changed, "response_status", "response_excerpt", "last_error"])
            logged = Attempt.objects.create(
                delivery=self,
                number=attempt,
                started_at=started_at,
                duration_ms=duration_ms,
                status=status,
                response_excerpt=excerpt,
                error=error,
                next_attempt_at=self.next_attempt_at,
            )
            if self.state == DeliveryState.RETRYING:
                deliver.using(run_after=self.next_attempt_at).enqueue(self.pk, attempt + 1)
        return logged

    def give_up(self, reason: str) -> None:
        """Stop without sending (the endpoint was deactivated); "Retry now" sends it once it is active again."""
        Delivery.objects.filter(pk=self.pk, state__in=WAITING_STATES).update(
            state=DeliveryState.FAILED, next_attempt_at=None, last_error=reason
        )


class Attempt(models.Model):
    """One POST of a delivery: when, how long, what came back, and when the next one was planned."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("sent"))
    duration_ms = models.PositiveIntegerField(_("took (ms)"))
    status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_excerpt = models.TextField(_("response (start)"), blank=True)
    error = models.TextField(_("error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt planned"), null=True, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="attempt_unique_number"),
        ]

    def __str__(self):
        return f"Attempt {self.number} of {self.delivery_id}: {self.status or self.error[:40]}"
