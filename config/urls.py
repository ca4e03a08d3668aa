from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import ThrottledAdminAuthenticationForm
from accounts.views import ThrottledLoginView
from api.endpoints import api as api_v1
from config.views import favicon, healthz, readyz

# The admin's login is throttled like the site's.
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("", include("reader.urls")),
    path("desk/tokens/", include("api.urls")),
    path("desk/", include("desk.urls")),
    path("api/v1/", api_v1.urls),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("favicon.ico", favicon, name="favicon"),
]
