"""The desk's token pages, mounted at /desk/tokens/ (config/urls.py). The API itself is api.endpoints."""

from django.urls import path

from api import views

app_name = "tokens"

urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]
