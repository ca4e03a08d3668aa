"""The logged-in account and its roles, kept in the shared cache (claims.roles.CachedAccountBackend).

Keeping them spares every logged-in request two queries; it must not keep
anything alive that Django would have refused on the next request: a
deactivated account, a changed password, a role taken away, a deleted account,
nor a copy read by another request just before such a change committed.
"""

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import TestCase

from claims.roles import ANALYSTS, CachedAccountBackend, account_version, role_names
from tests.base import PASSWORD, make_user

DESK = "/desk/"


class AccountCacheTests(TestCase):
    def setUp(self):
        cache.clear()
        self.analyst = make_user("amina", ANALYSTS)
        self.client.force_login(self.analyst)
        self.assertEqual(self.client.get(DESK).status_code, 200)

    def assert_refused_from_the_next_request(self, status: int):
        response = self.client.get(DESK)
        self.assertEqual(response.status_code, status)
        return response

    def test_the_account_and_its_roles_are_read_once_then_kept(self):
        backend = CachedAccountBackend()
        cache.clear()
        with self.assertNumQueries(2):  # the account, then its roles
            backend.get_user(self.analyst.pk)
        with self.assertNumQueries(0):
            user = backend.get_user(self.analyst.pk)
        self.assertEqual(user, self.analyst)
        self.assertEqual(role_names(user), frozenset({ANALYSTS}))

    def test_a_deactivated_account_is_logged_out_on_its_next_request(self):
        self.analyst.is_active = False
        self.analyst.save()

        response = self.assert_refused_from_the_next_request(302)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))

    def test_a_changed_password_ends_the_other_sessions_on_their_next_request(self):
        self.analyst.set_password("another-long-passphrase-42")
        self.analyst.save()

        self.assert_refused_from_the_next_request(302)

    def test_a_deleted_account_is_logged_out_on_its_next_request(self):
        self.analyst.delete()

        self.assert_refused_from_the_next_request(302)

    def test_a_role_taken_from_the_account_counts_from_its_next_request(self):
        self.analyst.groups.remove(Group.objects.get(name=ANALYSTS))

        self.assert_refused_from_the_next_request(403)

    def test_the_account_taken_out_of_the_group_counts_too(self):
        Group.objects.get(name=ANALYSTS).user_set.remove(self.analyst)

        self.assert_refused_from_the_next_request(403)

    def test_a_group_emptied_counts_for_each_of_its_members(self):
        Group.objects.get(name=ANALYSTS).user_set.clear()

        self.assert_refused_from_the_next_request(403)

    def test_a_role_given_counts_from_the_next_request(self):
        outsider = make_user("omar")
        self.client.force_login(outsider)
        self.assertEqual(self.client.get(DESK).status_code, 403)

        outsider.groups.add(Group.objects.get(name=ANALYSTS))

        self.assertEqual(self.client.get(DESK).status_code, 200)

    def test_a_copy_kept_by_another_request_before_the_change_committed_is_never_found_after_it(self):
        backend = CachedAccountBackend()
        stale = backend.get_user(self.analyst.pk)
        with self.captureOnCommitCallbacks(execute=True):
            self.analyst.is_active = False
            self.analyst.save()
            # Another request read the account before this transaction committed, and keeps its
            # copy under the token drawn at the save.
            cache.set(f"account:{self.analyst.pk}:{account_version(self.analyst.pk)}", stale)
            self.assertIsNotNone(backend.get_user(self.analyst.pk))

        self.assertIsNone(backend.get_user(self.analyst.pk))

    def test_logging_in_again_works_after_all_this(self):
        self.analyst.set_password(PASSWORD)
        self.analyst.save()
        self.client.logout()

        self.assertTrue(self.client.login(username="amina", password=PASSWORD))
        self.assertEqual(self.client.get(DESK).status_code, 200)
