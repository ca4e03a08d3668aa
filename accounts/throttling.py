"""Slowing, then locking, repeated failed logins per account and per network address.

A login attempt is refused before the password is checked when either its
account name or its network address must still wait: a pause that doubles
with each failure once the first few are used up, then a lock once there are
too many. A successful login clears the account's count but not the
address's, so that one good password cannot buy more guesses at others.

The address is REMOTE_ADDR. Behind a reverse proxy that is the proxy's own
address unless the proxy sets it to the client's; if instead the proxy appends
the client's address to X-Forwarded-For, set LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR
(never without such a proxy: clients can write that header themselves).
"""

import ipaddress
import math
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import LoginThrottle, ThrottleScope


def client_address(request) -> str:
    """The network address a request comes from; IPv6 clients are grouped by their /64 network."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            # The last entry is the one our own proxy appended; earlier ones are the client's to forge.
            address = forwarded[-1]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:150] or "unknown"
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def account_key(username: str) -> str:
    """One counter per account name however it is typed (case, compatibility forms)."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()[:150]


def _in_minutes(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _in_seconds(seconds: int) -> str:
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


def refusal_message(throttle: LoginThrottle, wait: int) -> str:
    if not throttle.is_locked(timezone.now()):
        return _("Too many failed attempts to log in. Wait %(wait)s before trying again.") % {"wait": _in_seconds(wait)}
    if throttle.scope == ThrottleScope.ACCOUNT:
        return _("Too many failed attempts to log in to this account: it is locked for now. Try again in %(wait)s.") % {
            "wait": _in_minutes(wait)
        }
    return _(
        "Too many failed attempts to log in from your network address: logging in from it is blocked for now. "
        "Try again in %(wait)s."
    ) % {"wait": _in_minutes(wait)}


@dataclass(frozen=True)
class LoginAttempt:
    username: str
    address: str

    @classmethod
    def from_request(cls, request, username: str) -> "LoginAttempt":
        return cls(username=account_key(username), address=client_address(request))

    def _keys(self) -> list[tuple[ThrottleScope, str]]:
        keys = [(ThrottleScope.ADDRESS, self.address)]
        if self.username:
            keys.append((ThrottleScope.ACCOUNT, self.username))
        return keys

    def refusal(self) -> str | None:
        """Why this attempt may not be made now, or None if it may."""
        now = timezone.now()
        throttles = LoginThrottle.objects.filter(scope=ThrottleScope.ADDRESS, key=self.address)
        if self.username:
            throttles |= LoginThrottle.objects.filter(scope=ThrottleScope.ACCOUNT, key=self.username)
        waits = [(throttle.wait_seconds(now), throttle) for throttle in throttles]
        waits = [(wait, throttle) for wait, throttle in waits if wait > 0]
        if not waits:
            return None
        # Locks first, then the longest wait.
        wait, throttle = max(waits, key=lambda pair: (pair[1].is_locked(now), pair[0]))
        return refusal_message(throttle, wait)

    def record_failure(self) -> str | None:
        """Count a failed attempt; returns the refusal the next attempt will meet, if any."""
        with transaction.atomic():
            for scope, key in self._keys():
                LoginThrottle.record_failure(scope, key)
            LoginThrottle.objects.forgotten(timezone.now()).delete()
        return self.refusal()

    def record_success(self) -> None:
        if self.username:
            LoginThrottle.objects.filter(scope=ThrottleScope.ACCOUNT, key=self.username).delete()
