"""The admin site reviewers work in: Django's admin plus the review queue.

``ReviewAdminConfig`` replaces ``django.contrib.admin`` in INSTALLED_APPS and
makes ``ReviewAdminSite`` the default site, so ``admin.site`` and every
``@admin.register`` keep working. This module is imported while the app
registry loads, so it imports no models; the views live in claims.review_queue.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path


class ReviewAdminSite(admin.AdminSite):
    site_header = "Claim Tracker review"
    site_title = "Claim Tracker review"
    index_title = "Review desk"
    # Review lists are wide (quote, claimant, source, state, analyst) and have
    # their own filters; the index and the header link to everything else.
    enable_nav_sidebar = False

    def get_urls(self):
        from claims.review_queue import review_queue

        return [path("review/", self.admin_view(review_queue), name="review_queue"), *super().get_urls()]

    def each_context(self, request):
        from claims.roles import is_reviewer

        return {**super().each_context(request), "can_review": is_reviewer(request.user)}

    def index(self, request, extra_context=None):
        from claims.review_queue import work_summary

        return super().index(request, {**work_summary(request.user), **(extra_context or {})})


class ReviewAdminConfig(AdminConfig):
    default_site = "claims.admin_site.ReviewAdminSite"
