"""Failed-login counters, one per account and one per network address.

They live in the database rather than the cache so that every worker process
sees the same counts and a restart does not forgive an attacker.
"""

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The longest pause forced between two attempts before the lock takes over.
MAX_DELAY_SECONDS = 60


class ThrottleScope(models.TextChoices):
    ACCOUNT = "account", _("Account")
    ADDRESS = "address", _("Network address")


class LoginThrottleQuerySet(models.QuerySet):
    def forgotten(self, now: datetime):
        """Counters that no longer slow or lock anything: safe to delete."""
        window = timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
        return self.filter(last_failure_at__lt=now - window).exclude(locked_until__gt=now)


class LoginThrottle(models.Model):
    scope = models.CharField(_("scope"), max_length=10, choices=ThrottleScope)
    key = models.CharField(_("account name or network address"), max_length=150)
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_failure_at = models.DateTimeField(_("last failed attempt"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    objects = LoginThrottleQuerySet.as_manager()

    class Meta:
        verbose_name = _("login throttle")
        constraints = [
            # One counter per account name and per address; every login attempt looks it up.
            models.UniqueConstraint(fields=["scope", "key"], name="loginthrottle_unique_scope_key"),
        ]
        indexes = [
            # forgotten(): the periodic clean-up of old counters.
            models.Index(fields=["last_failure_at"], name="loginthrottle_last_failure_idx"),
        ]

    def __str__(self):
        return f"{self.get_scope_display()} {self.key}: {self.failures} failed"

    @property
    def lock_after(self) -> int:
        if self.scope == ThrottleScope.ACCOUNT:
            return settings.LOGIN_THROTTLE_ACCOUNT_LOCK_AFTER
        return settings.LOGIN_THROTTLE_ADDRESS_LOCK_AFTER

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
        """Add one failure (starting afresh if the earlier ones are forgotten) and lock when there are too many."""
        if self.is_forgotten(now) and not self.is_locked(now):
            self.failures = 0
        self.failures += 1
        self.last_failure_at = now
        if self.failures >= self.lock_after:
            self.locked_until = now + timedelta(seconds=settings.LOGIN_THROTTLE_LOCK_SECONDS)
        self.save()

    @classmethod
    def record_failure(cls, scope: ThrottleScope, key: str) -> "LoginThrottle":
        now = timezone.now()
        throttle, _created = cls.objects.select_for_update().get_or_create(
            scope=scope, key=key, defaults={"last_failure_at": now}
        )
        throttle.count_failure(now)
        return throttle
