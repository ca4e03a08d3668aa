"""Slowing and locking repeated failed logins without letting anyone lock someone else out.

Three counters follow every failed attempt:

- the **address** counter (failures from one network address, whatever the
  account): after DELAY_AFTER failures each attempt from the address waits 1, 2,
  4 … seconds; after ADDRESS_LOCK_AFTER the address is locked for LOCK_SECONDS.
  This stops one address from spraying guesses over many accounts.
- the **pair** counter (failures for one account from one address): the same
  pause, and after ACCOUNT_LOCK_AFTER failures logging in to that account *from
  that address* is locked. Other addresses are not affected.
- the **account** counter (failures for one account from anywhere) never locks.
  It lengthens the pause, 1, 2, 4 … up to 60 seconds after DELAY_AFTER failures
  in all, but only for addresses that have failed for that account themselves,
  counted from their own last failure. So guesses spread over many addresses
  are slowed too, while an address that has not been failing for the account
  (its owner's) is never refused because of failures made elsewhere.

An attempt is refused before the password is checked when one of its counters
says to wait. Otherwise the attempt *reserves* a failure in all three counters,
in one transaction that holds their rows (SELECT … FOR UPDATE on PostgreSQL,
the write lock on SQLite), and only then is the password checked: so parallel
requests queue on the counters and each sees the failures of the ones before
it, and a burst of guesses gets no more checks than the same guesses made one
after another. A right password gives the reservation back: the pair counter
is cleared, the address and account counters lose the one failure. A successful
login never forgives the failures made before it from elsewhere, or against
other accounts from the same address.

The address is REMOTE_ADDR. Behind a reverse proxy that is the proxy's own
address unless the proxy sets it to the client's; if instead the proxy appends
the client's address to X-Forwarded-For, set LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR
(never without such a proxy: clients can write that header themselves).
"""

import ipaddress
import math
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
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


def refusal_message(throttle: LoginThrottle, wait: int, now: datetime) -> str:
    if not throttle.is_locked(now):
        return _("Too many failed attempts to log in. Wait %(wait)s before trying again.") % {"wait": _in_seconds(wait)}
    if throttle.scope == ThrottleScope.PAIR:
        return _(
            "Too many failed attempts to log in to this account from your network address: it is locked for now. "
            "Try again in %(wait)s."
        ) % {"wait": _in_minutes(wait)}
    return _(
        "Too many failed attempts to log in from your network address: logging in from it is blocked for now. "
        "Try again in %(wait)s."
    ) % {"wait": _in_minutes(wait)}


# How often a reservation is decided again when a parallel attempt created one of its counters first.
RESERVATION_TRIES = 5


@dataclass
class Counters:
    """The rows one attempt reads and counts in; a missing row means no failures yet."""

    address: LoginThrottle | None
    pair: LoginThrottle | None
    account: LoginThrottle | None

    def waits(self, now: datetime) -> list[tuple[int, LoginThrottle]]:
        waits = [(throttle.wait_seconds(now), throttle) for throttle in (self.address, self.pair) if throttle]
        if self.account and self.pair and not self.pair.is_forgotten(now) and not self.account.is_forgotten(now):
            # The account-wide pause, counted from this address's own last failure for the account.
            ready_at = self.pair.last_failure_at + timedelta(seconds=self.account.delay_seconds())
            waits.append((max(0, math.ceil((ready_at - now).total_seconds())), self.account))
        return [(wait, throttle) for wait, throttle in waits if wait > 0]

    def refusal(self, now: datetime) -> str | None:
        """Why an attempt may not be made now, or None if it may: locks first, then the longest wait."""
        waits = self.waits(now)
        if not waits:
            return None
        wait, throttle = max(waits, key=lambda pair: (pair[1].is_locked(now), pair[0]))
        return refusal_message(throttle, wait, now)


@dataclass
class LoginAttempt:
    username: str
    address: str
    # Set by reserve(): when the failure was counted, and each counter's last failure before it.
    reserved_at: datetime | None = None
    # Set when an attempt is refused: seconds until the next may be made (for Retry-After).
    retry_after: int = 0
    previous_failure_at: dict[str, datetime | None] = field(default_factory=dict)

    @classmethod
    def from_request(cls, request, username: str) -> "LoginAttempt":
        return cls(username=account_key(username), address=client_address(request))

    def _keys(self) -> list[tuple[str, ThrottleScope, str, str]]:
        """(name, scope, key, address) of each counter, in the order their rows are locked (the same for everyone)."""
        keys = [("address", ThrottleScope.ADDRESS, self.address, "")]
        if self.username:
            keys.append(("pair", ThrottleScope.PAIR, self.username, self.address))
            keys.append(("account", ThrottleScope.ACCOUNT, self.username, ""))
        return keys

    def _counters(self, *, for_update: bool) -> Counters:
        rows = LoginThrottle.objects.select_for_update() if for_update else LoginThrottle.objects.all()
        found = {
            name: rows.filter(scope=scope, key=key, address=address).first()
            for name, scope, key, address in self._keys()
        }
        return Counters(address=found["address"], pair=found.get("pair"), account=found.get("account"))

    def refusal(self) -> str | None:
        """Why this attempt may not be made now, or None if it may (reads only: for the message after a failure)."""
        return self._refused(self._counters(for_update=False), timezone.now())

    def _refused(self, counters: Counters, now: datetime) -> str | None:
        refusal = counters.refusal(now)
        if refusal:
            self.retry_after = max(wait for wait, _ in counters.waits(now))
        return refusal

    def reserve(self) -> str | None:
        """Count this attempt as a failure before its password is checked, or say why it may not be made.

        Returns the refusal, or None when the password may be checked; then
        ``record_success`` must be called if it turns out to be right.
        """
        for _try in range(RESERVATION_TRIES):
            try:
                with transaction.atomic():
                    counters = self._counters(for_update=True)
                    now = timezone.now()  # after waiting for the rows: the attempts before this one are counted
                    if refusal := self._refused(counters, now):
                        return refusal
                    for name, scope, key, address in self._keys():
                        throttle = getattr(counters, name)
                        self.previous_failure_at[name] = throttle.last_failure_at if throttle else None
                        throttle = throttle or LoginThrottle(scope=scope, key=key, address=address, last_failure_at=now)
                        throttle.count_failure(now)
                    self.reserved_at = now
                break
            except IntegrityError:
                continue  # a parallel attempt created a counter first: decide again with its row locked
        else:
            self.retry_after = 1
            return _("Too many attempts to log in at once. Wait %(wait)s before trying again.") % {
                "wait": _in_seconds(1)
            }
        # Outside the transaction: deleting other addresses' rows while holding ours could deadlock.
        LoginThrottle.objects.forgotten(timezone.now()).delete()
        return None

    def record_success(self) -> None:
        """Give back the reserved failure: clear this address's failures for the account, uncount the others."""
        with transaction.atomic():
            counters = self._counters(for_update=True)
            if counters.pair:
                counters.pair.delete()
            for name in ("address", "account"):
                if (throttle := getattr(counters, name)) and self.reserved_at:
                    throttle.refund(self.reserved_at, self.previous_failure_at.get(name))
