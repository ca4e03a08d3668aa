from django.contrib.auth.views import LoginView

from accounts.forms import ThrottledAuthenticationForm


class ThrottledLoginView(LoginView):
    """The site's login page; a refused attempt answers 429 Too Many Requests."""

    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_throttled:
            response.status_code = 429
            if form.retry_after:
                response["Retry-After"] = str(form.retry_after)
        return response
