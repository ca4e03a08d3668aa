import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from claims.roles import ANALYSTS, REVIEWERS, ensure_roles

DEMO_ACCOUNTS = [
    # username, group, staff (may open the admin), superuser
    ("analyst", ANALYSTS, True, False),
    ("reviewer", REVIEWERS, True, False),
    ("admin", None, True, True),
]


class Command(BaseCommand):
    help = "Create the analyst, reviewer and admin demo accounts for local use (refused when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="use this password for all three accounts instead of generating them")

    def handle(self, *args, password=None, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development only; refusing to run with DEBUG off.")
        ensure_roles()
        User = get_user_model()
        rows = []
        for username, group, staff, superuser in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=username)
            chosen = password or secrets.token_urlsafe(9)
            user.set_password(chosen)
            user.is_staff, user.is_superuser, user.is_active = staff, superuser, True
            user.save()
            if group:
                user.groups.set([Group.objects.get(name=group)])
            rows.append((username, chosen, "created" if created else "password reset"))
        self.stdout.write("Demo accounts (log in at http://127.0.0.1:8000/accounts/login/):")
        for username, chosen, status in rows:
            shown = chosen if password is None else "(the password you gave)"
            self.stdout.write(f"  {username:<9} {shown:<24} {status}")
