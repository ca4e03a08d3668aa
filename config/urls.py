from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import ThrottledAdminAuthenticationForm
from accounts.views import ThrottledLoginView
from api.endpoints import api as api_v1
from config.views import favicon, healthz, readyz

# The admin's login is throttled like the site's.
admin.site.login_form = ThrottledAdminAuthenticationForm

# English only, at the same address in every language: the admin (reviewers work in English), the API
# (its field names and problem details are a contract, /api/v1/ in README), the health checks.
urlpatterns = [
    path("api/v1/", api_v1.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("favicon.ico", favicon, name="favicon"),
]

# What readers and analysts see, in English at the addresses it always had and under /ur/, /fa/ and
# /ps/ in the other languages (config/languages.py); an unprefixed address is always English.
urlpatterns += i18n_patterns(
    path("", include("reader.urls")),
    path("desk/tokens/", include("api.urls")),
    path("desk/", include("desk.urls")),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    prefix_default_language=False,
)
