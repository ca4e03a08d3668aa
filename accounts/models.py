"""Failed-login counters: per network address, per account from one address, and per account.

They live in the database rather than the cache so that every worker process
sees the same counts and a restart does not forgive an attacker. See
accounts.throttling for what each counter slows or locks.
"""

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The longest pause forced between two attempts before a lock takes over.
MAX_DELAY_SECONDS = 60


class ThrottleScope(models.TextChoices):
    # Failures from one address, whatever the account: locks the address (password spraying).
    ADDRESS = "address", _("Network address")
    # Failures for one account from one address: locks that pair only.
    PAIR = "pair", _("Account from one address")
    # Failures for one account from anywhere: never locks, only slows addresses that failed for it too.
    ACCOUNT = "account", _("Account")


class LoginThrottleQuerySet(models.QuerySet):
    def forgotten(self, now: datetime):
        """Counters that no longer slow or lock anything: safe to delete."""
        window = timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
        return self.filter(last_failure_at__lt=now - window).exclude(locked_until__gt=now)


class LoginThrottle(models.Model):
    scope = models.CharField(_("scope"), max_length=10, choices=ThrottleScope)
    # The account name (account and pair scopes) or the network address (address scope).
    key = models.CharField(_("account name or network address"), max_length=150)
    # The pair scope only: the address the account's failures came from.
    address = models.CharField(_("from network address"), max_length=150, blank=True, default="")
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_failure_at = models.DateTimeField(_("last failed attempt"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    objects = LoginThrottleQuerySet.as_manager()

    class Meta:
        verbose_name = _("login throttle")
        constraints = [
            # One counter per address, per account and address, and per account; every login attempt
            # looks up (and locks) its three.
            models.UniqueConstraint(fields=["scope", "key", "address"], name="loginthrottle_unique_counter"),
        ]
        indexes = [
            # forgotten(): the periodic clean-up of old counters.
            models.Index(fields=["last_failure_at"], name="loginthrottle_last_failure_idx"),
        ]

    def __str__(self):
        where = f" from {self.address}" if self.address else ""
        return f"{self.get_scope_display()} {self.key}{where}: {self.failures} failed"

    @property
    def lock_after(self) -> int | None:
        """How many failures lock this counter; None for the account-wide one, which never locks."""
        if self.scope == ThrottleScope.PAIR:
            return settings.LOGIN_THROTTLE_ACCOUNT_LOCK_AFTER
        if self.scope == ThrottleScope.ADDRESS:
            return settings.LOGIN_THROTTLE_ADDRESS_LOCK_AFTER
        return None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def is_forgotten(self, now: datetime) -> bool:
        return self.last_failure_at < now - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)

    def delay_seconds(self) -> int:
        """The pause owed after the last failure: 1, 2, 4 … seconds once the free attempts are used."""
        beyond = self.failures - settings.LOGIN_THROTTLE_DELAY_AFTER
        return 0 if beyond < 0 else min(2**beyond, MAX_DELAY_SECONDS)

    def wait_seconds(self, now: datetime) -> int:
        """How long, rounded up to whole seconds, before another attempt may be made; 0 if one may now."""
        if self.is_locked(now):
            return math.ceil((self.locked_until - now).total_seconds())
        if self.is_forgotten(now):
            return 0
        ready_at = self.last_failure_at + timedelta(seconds=self.delay_seconds())
        return max(0, math.ceil((ready_at - now).total_seconds()))

    def count_failure(self, now: datetime) -> None:
        """Add one failure (starting afresh if the earlier ones are forgotten) and lock when there are too many.

        Called before the password is checked (the attempt is reserved); a right
        password gives it back with ``refund``.
        """
        if self.is_forgotten(now) and not self.is_locked(now):
            self.failures = 0
            self.locked_until = None
        self.failures += 1
        self.last_failure_at = now
        if self.lock_after is not None and self.failures >= self.lock_after:
            self.locked_until = now + timedelta(seconds=settings.LOGIN_THROTTLE_LOCK_SECONDS)
        self.save()

    def refund(self, reserved_at: datetime, previous_failure_at: datetime | None) -> None:
        """Take back one failure reserved at ``reserved_at``: the password was right after all.

        Unless another failure was counted since, the last failure is again the
        one before (``previous_failure_at``), so the pause it owes is as before.
        """
        self.failures = max(0, self.failures - 1)
        if self.last_failure_at == reserved_at and previous_failure_at is not None:
            self.last_failure_at = previous_failure_at
        if self.lock_after is None or self.failures < self.lock_after:
            self.locked_until = None
        if self.failures == 0:
            self.delete()
        else:
            self.save()
