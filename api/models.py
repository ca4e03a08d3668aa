"""Personal API tokens: how a script acts for an analyst.

A token's secret is shown once, when it is made, and never stored: the
database keeps its SHA-256 (to find it again) and its first characters (to
tell tokens apart at the desk). A token works only while it is not revoked and
its account is active and still an analyst's (``claims.roles.is_analyst``): an
account that leaves the Analysts and Reviewers groups loses its tokens with its
desk.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.roles import is_analyst

# Every secret starts with this, so that secret scanners and people recognise one in a log or a repository.
SECRET_PREFIX = "ctk_"  # noqa: S105 - a marker, not a secret
# Characters of the secret kept for display: the marker and 8 random characters.
SHOWN_CHARACTERS = len(SECRET_PREFIX) + 8
# A token's last use is written at most this often: a busy script does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


def secret_digest(secret: str) -> str:
    """The SHA-256 of a secret, as stored. The secrets are 256 random bits, so no slow hash is needed."""
    return hashlib.sha256(secret.encode("utf-8", errors="surrogatepass")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def of(self, user):
        return self.filter(user=user)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the script using it."))
    scope = models.CharField(_("scope"), max_length=5, choices=TokenScope, default=TokenScope.READ)
    shown = models.CharField(_("first characters"), max_length=SHOWN_CHARACTERS, editable=False)
    digest = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="apitoken_name_not_empty"),
            models.CheckConstraint(condition=Q(scope__in=TokenScope.values), name="apitoken_scope_valid"),
        ]
        indexes = [
            # The desk's list of one user's tokens, newest first (authentication uses digest's unique index).
            models.Index(fields=["user", "-created_at"], name="apitoken_user_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.shown}…)"

    @classmethod
    def issue(cls, *, user, name: str, scope: str) -> tuple["ApiToken", str]:
        """Create a token for ``user``; return it with its secret, which is not kept anywhere."""
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, scope=scope, shown=secret[:SHOWN_CHARACTERS], digest=secret_digest(secret)
        )
        return token, secret

    @classmethod
    def find(cls, secret: str) -> "ApiToken | None":
        """The token whose secret this is, revoked or not, or None. The digests are compared in constant time."""
        digest = secret_digest(secret)
        token = cls.objects.select_related("user").filter(digest=digest).first()
        if token is None or not hmac.compare_digest(token.digest, digest):
            return None
        return token

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    def refusal(self) -> str | None:
        """Why this token does not work now, or None when it does."""
        if self.is_revoked:
            return str(_("This token was revoked. Create a new one at the desk."))
        if not is_analyst(self.user):
            return str(_("This token's account may no longer use the API: it is inactive, or no longer an analyst's."))
        return None

    def record_use(self) -> None:
        """Note that the token was used now (to the minute: at most one write a minute)."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def revoke(self) -> None:
        """Stop the token from working, for good. Revoking twice keeps the first time."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=self.revoked_at)
