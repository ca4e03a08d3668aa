"""Signing a delivery, so the receiver knows it came from us, unchanged and recently.

The header is ``X-Webhook-Signature: t=<unix seconds>,v1=<hex>``, where ``<hex>`` is
the HMAC-SHA256, keyed with the endpoint's secret (its UTF-8 bytes), of the
timestamp's digits, a full stop, and the body's bytes exactly as sent:
``f"{t}.".encode() + body``. Each attempt is signed at the moment it is sent, so a
receiver may refuse timestamps older than a few minutes (replays).
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Webhook-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
