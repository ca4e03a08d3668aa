from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts.throttling import LoginAttempt


class ThrottledLoginMixin:
    """Refuse attempts that must wait; count each attempt as a failure before checking it, and give it back if right.

    Counting first is what keeps parallel guesses from all passing the check
    that only the first few should pass (see accounts.throttling).
    """

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()
        attempt = self.attempt = LoginAttempt.from_request(self.request, username)
        if refusal := attempt.reserve():
            raise ValidationError(refusal, code="throttled")
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            if self.get_user() is not None:
                # The password was right, but the account may not log in here (inactive, not staff): no guess.
                attempt.record_success()
            elif refusal := attempt.refusal():
                raise ValidationError([*error.error_list, ValidationError(refusal, code="throttled")]) from None
            raise
        attempt.record_success()
        return cleaned_data

    @property
    def is_throttled(self) -> bool:
        return self.has_error("__all__", code="throttled")

    @property
    def retry_after(self) -> int:
        """Seconds until a refused attempt may be made again (0 when it was not refused)."""
        attempt = getattr(self, "attempt", None)
        return attempt.retry_after if attempt is not None else 0


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
