import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from claims.roles import is_analyst, is_reviewer


def create(**options) -> str:
    out = io.StringIO()
    call_command("create_demo_users", stdout=out, **options)
    return out.getvalue()


@override_settings(DEBUG=True)
class CreateDemoUsersTests(TestCase):
    def test_it_creates_the_three_roles(self):
        create(password="demo-pass-123")

        analyst, reviewer, admin = (User.objects.get(username=name) for name in ("analyst", "reviewer", "admin"))
        assert is_analyst(analyst) and not is_reviewer(analyst)
        assert is_reviewer(reviewer) and not reviewer.is_superuser
        assert admin.is_superuser

    def test_it_prints_generated_passwords_that_work(self):
        output = create()

        line = next(line for line in output.splitlines() if line.strip().startswith("analyst"))
        password = line.split()[1]
        assert authenticate(username="analyst", password=password) is not None

    def test_a_given_password_is_used_and_not_printed(self):
        output = create(password="demo-pass-123")

        assert "demo-pass-123" not in output
        assert authenticate(username="reviewer", password="demo-pass-123") is not None

    def test_running_twice_keeps_one_account_per_role(self):
        create(password="demo-pass-123")
        create(password="demo-pass-123")

        assert User.objects.filter(username__in=["analyst", "reviewer", "admin"]).count() == 3

    @override_settings(DEBUG=False)
    def test_it_refuses_to_run_with_debug_off(self):
        with pytest.raises(CommandError, match="DEBUG off"):
            create()
        assert not User.objects.filter(username="analyst").exists()
