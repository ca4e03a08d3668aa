"""The worker's side of webhooks: one task run per attempt (``manage.py db_worker`` runs them).

A failed attempt queues the next one with ``run_after`` set by the back-off
(``Delivery.record_attempt``), so a waiting retry holds no worker.
"""

import time

from django.tasks import task
from django.utils import timezone

from webhooks.models import Delivery
from webhooks.sending import SendFailed, post
from webhooks.signing import SIGNATURE_HEADER, signature_header


@task()
def deliver(delivery_id: int, attempt: int) -> str:
    """Make attempt number ``attempt`` of a delivery; returns where the delivery stands after it."""
    return attempt_delivery(delivery_id, attempt)


def attempt_delivery(delivery_id: int, attempt: int) -> str:
    """POST the delivery's body, signed now, and log what came back (see ``deliver``)."""
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        return "deleted"
    endpoint = delivery.endpoint
    if not endpoint.active:
        delivery.give_up("Not sent: the endpoint is inactive. Activate it, then retry the delivery.")
        return "inactive"
    if not Delivery.claim(delivery_id, attempt):
        return "skipped"
    body = delivery.body.encode("utf-8")
    started_at, started = timezone.now(), time.monotonic()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature_header(endpoint.secret, int(time.time()), body),
        "X-Webhook-Event": delivery.event,
        "X-Webhook-Id": str(delivery.event_id),
        "X-Webhook-Delivery": str(delivery.pk),
        "X-Webhook-Attempt": str(attempt),
    }
    status, excerpt, error = None, "", ""
    try:
        answer = post(endpoint.url, body, headers)
    except SendFailed as failure:
        error = str(failure)
    else:
        status, excerpt = answer.status, answer.excerpt
        if not answer.ok:
            error = f"The receiver answered {status}."
            if 300 <= status < 400:
                error += " Redirects are not followed: register the address it points to."
    delivery.record_attempt(
        attempt,
        started_at=started_at,
        duration_ms=round((time.monotonic() - started) * 1000),
        status=status,
        excerpt=excerpt,
        error=error,
    )
    return delivery.state
