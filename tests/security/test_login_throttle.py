"""Repeated failed logins are slowed, then locked for a while, per network address and per account from one address.

Failures for an account from anywhere only slow the addresses that made some of
them: nobody can lock an account's owner out from elsewhere.
"""

from datetime import timedelta

from django.db.models import F
from django.test import RequestFactory, override_settings
from django.urls import reverse

from accounts.models import LoginThrottle, ThrottleScope
from accounts.throttling import client_address
from tests.base import PASSWORD, BaseTestCase

THROTTLE = {
    "LOGIN_THROTTLE_WINDOW_SECONDS": 900,
    "LOGIN_THROTTLE_DELAY_AFTER": 3,
    "LOGIN_THROTTLE_ACCOUNT_LOCK_AFTER": 5,
    "LOGIN_THROTTLE_ADDRESS_LOCK_AFTER": 8,
    "LOGIN_THROTTLE_LOCK_SECONDS": 600,
    "LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR": False,
}


def pass_time(seconds: int) -> None:
    """Move every recorded failure and lock ``seconds`` into the past, as if that much time went by."""
    delta = timedelta(seconds=seconds)
    LoginThrottle.objects.update(last_failure_at=F("last_failure_at") - delta)
    LoginThrottle.objects.filter(locked_until__isnull=False).update(locked_until=F("locked_until") - delta)


@override_settings(**THROTTLE)
class ThrottleTestCase(BaseTestCase):
    url_name = "login"

    def attempt(self, username="alice", password=PASSWORD, address="192.0.2.10", **extra):
        return self.client.post(
            reverse(self.url_name), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
        )

    def fail(self, times: int, username="alice", address="192.0.2.10") -> None:
        """Fail ``times`` times, waiting out any pause in between (never a lock)."""
        for _ in range(times):
            pass_time(60)
            self.attempt(username, "wrong password", address)

    def assert_logged_in(self, response, username="alice"):
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.session.get("_auth_user_id"), str(self.get_user(username).pk))

    def assert_refused(self, response, message: str):
        self.assertContains(response, message, status_code=response.status_code)
        self.assertNotIn("_auth_user_id", self.client.session)

    def get_user(self, username):
        return {user.username: user for user in (self.analyst, self.reviewer, self.admin)}[username]


class SlowingTests(ThrottleTestCase):
    def test_a_few_failures_cost_nothing(self):
        self.fail(2)

        self.assert_logged_in(self.attempt())

    def test_the_failure_that_uses_up_the_free_attempts_says_to_wait(self):
        self.fail(2)

        response = self.attempt(password="wrong password")

        self.assertContains(response, "Please enter a correct username and password", status_code=429)
        self.assertContains(response, "Wait 1 second before trying again.", status_code=429)
        self.assertEqual(response["Retry-After"], "1")

    def test_an_attempt_during_the_pause_is_refused_even_with_the_right_password(self):
        self.fail(3)

        response = self.attempt()

        self.assertEqual((response.status_code, response["Retry-After"]), (429, "1"))
        self.assert_refused(response, "Too many failed attempts to log in. Wait 1 second before trying again.")

    def test_a_refused_attempt_does_not_count_as_a_failure(self):
        self.fail(3)
        self.attempt(password="wrong password")  # refused during the pause: the password is not even checked

        self.assertEqual(
            set(LoginThrottle.objects.values_list("scope", "failures")),
            {(ThrottleScope.ADDRESS, 3), (ThrottleScope.PAIR, 3), (ThrottleScope.ACCOUNT, 3)},
        )

    def test_the_pause_doubles_with_each_failure(self):
        self.fail(4)

        self.assert_refused(self.attempt(), "Wait 2 seconds before trying again.")

    def test_the_pause_ends(self):
        self.fail(4)
        pass_time(2)

        self.assert_logged_in(self.attempt())

    def test_failures_are_forgotten_after_the_window(self):
        self.fail(4)
        pass_time(901)

        self.attempt(password="wrong password")

        self.assertEqual(LoginThrottle.objects.get(scope=ThrottleScope.ACCOUNT).failures, 1)


class PairLockTests(ThrottleTestCase):
    """Too many failures for an account from one address lock that account from that address only."""

    def test_too_many_failures_lock_the_account_from_that_address(self):
        self.fail(5)

        response = self.attempt()

        self.assertEqual(response.status_code, 429)
        self.assert_refused(
            response,
            "Too many failed attempts to log in to this account from your network address: it is locked for now. "
            "Try again in 10 minutes.",
        )

    def test_the_failure_that_locks_says_so(self):
        self.fail(4)
        pass_time(60)

        response = self.attempt(password="wrong password")

        self.assertContains(response, "it is locked for now. Try again in 10 minutes.", status_code=429)
        self.assertGreater(int(response["Retry-After"]), 9 * 60)

    def test_the_owner_still_logs_in_from_their_own_address(self):
        self.fail(5, address="203.0.113.66")  # an attacker locks the account from their address

        self.assert_logged_in(self.attempt(address="192.0.2.10"))

    def test_the_owner_logs_in_however_long_the_attacker_keeps_failing(self):
        for _ in range(4):
            self.fail(5, address="203.0.113.66")
            pass_time(600)  # the lock ends and is renewed at once

        self.assert_logged_in(self.attempt(address="192.0.2.10"))

    def test_the_lock_holds_for_the_attackers_address_meanwhile(self):
        self.fail(5, address="203.0.113.66")
        self.assert_logged_in(self.attempt(address="192.0.2.10"))
        self.client.logout()

        self.assert_refused(self.attempt(address="203.0.113.66"), "it is locked for now")

    def test_the_lock_holds_however_the_name_is_typed(self):
        self.fail(5, username="ALICE")

        self.assert_refused(self.attempt(username="alice"), "it is locked for now")

    def test_the_message_counts_down_the_minutes_left(self):
        self.fail(5)
        pass_time(4 * 60 + 30)

        self.assert_refused(self.attempt(), "Try again in 6 minutes.")

    def test_the_lock_ends_after_its_time(self):
        self.fail(5)
        pass_time(600)

        self.assert_logged_in(self.attempt())

    def test_other_accounts_are_not_locked(self):
        self.fail(5)

        self.assert_logged_in(self.attempt(username="rita", address="198.51.100.7"), username="rita")

    def test_the_message_is_shown_as_an_alert_on_the_login_page(self):
        self.fail(5)

        response = self.attempt()

        self.assertRegex(
            response.content.decode(), r'role="alert">\s*<p>Too many failed attempts to log in to this account'
        )


class AccountDelayTests(ThrottleTestCase):
    """Failures for an account spread over many addresses slow the addresses that made them, and lock nothing."""

    def spread(self, addresses: int) -> None:
        """Fail once for alice from each of ``addresses`` addresses, as guesses spread over a botnet are."""
        self.fail(1, address="198.51.100.1")
        for number in range(2, addresses + 1):
            self.fail(1, address=f"198.51.100.{number}")

    def test_an_address_that_failed_for_the_account_waits_for_all_its_failures(self):
        self.spread(5)  # one failure from each address: below every per-address pause

        self.assert_refused(self.attempt(address="198.51.100.5"), "Wait 4 seconds before trying again.")

    def test_the_pause_is_counted_from_the_addresss_own_last_failure(self):
        self.spread(5)
        pass_time(4)

        self.assert_logged_in(self.attempt(address="198.51.100.5"))

    def test_the_pause_grows_to_a_minute_at_most(self):
        self.spread(20)

        self.assert_refused(self.attempt(address="198.51.100.20"), "Wait 60 seconds before trying again.")

    def test_an_address_that_has_not_failed_for_the_account_is_not_slowed(self):
        self.spread(20)

        self.assert_logged_in(self.attempt(address="192.0.2.10"))

    def test_the_account_is_never_locked(self):
        self.spread(20)

        self.assertFalse(LoginThrottle.objects.filter(scope=ThrottleScope.ACCOUNT, locked_until__isnull=False))


class AddressLockTests(ThrottleTestCase):
    def spray(self, times: int, address="192.0.2.10") -> None:
        """Fail against many account names, as a password sprayer does."""
        for number in range(times):
            pass_time(60)
            self.attempt(f"guess{number}", "wrong password", address)

    def test_too_many_failures_from_one_address_lock_it(self):
        self.spray(8)

        response = self.attempt()

        self.assertEqual(response.status_code, 429)
        self.assert_refused(
            response,
            "Too many failed attempts to log in from your network address: logging in from it is blocked for now. "
            "Try again in 10 minutes.",
        )

    def test_other_addresses_may_still_log_in(self):
        self.spray(8)

        self.assert_logged_in(self.attempt(address="198.51.100.7"))

    def test_the_address_lock_ends_after_its_time(self):
        self.spray(8)
        pass_time(600)

        self.assert_logged_in(self.attempt())

    def test_failures_from_one_address_slow_the_next_attempt_from_it(self):
        self.spray(3)

        self.assert_refused(self.attempt(), "Wait 1 second before trying again.")


class SuccessTests(ThrottleTestCase):
    def test_a_successful_login_clears_this_addresss_failures_for_the_account(self):
        self.fail(4)
        pass_time(60)
        self.assert_logged_in(self.attempt())
        self.client.logout()

        self.attempt(password="wrong password")

        self.assertEqual(LoginThrottle.objects.get(scope=ThrottleScope.PAIR).failures, 1)

    def test_a_successful_login_keeps_the_failures_made_from_elsewhere(self):
        self.fail(4, address="203.0.113.66")

        self.assert_logged_in(self.attempt())

        self.assertEqual(LoginThrottle.objects.get(scope=ThrottleScope.ACCOUNT).failures, 4)
        self.assertEqual(LoginThrottle.objects.get(scope=ThrottleScope.PAIR, address="203.0.113.66").failures, 4)

    def test_a_successful_login_leaves_no_counter_behind(self):
        # The attempt is counted before the password is checked, and given back when it is right.
        self.assert_logged_in(self.attempt())

        self.assertFalse(LoginThrottle.objects.exists())

    def test_a_successful_login_keeps_the_addresss_failures(self):
        # Otherwise one good password would buy unlimited guesses at other accounts.
        self.fail(2, username="someone-else")
        pass_time(60)

        self.assert_logged_in(self.attempt())

        self.assertEqual(LoginThrottle.objects.get(scope=ThrottleScope.ADDRESS).failures, 2)


class AdminLoginTests(ThrottleTestCase):
    url_name = "admin:login"

    def test_the_admin_login_is_slowed(self):
        self.fail(3, username="ada")

        self.assert_refused(self.attempt(username="ada"), "Wait 1 second before trying again.")

    def test_the_admin_login_locks_the_account(self):
        self.fail(5, username="ada")

        response = self.attempt(username="ada")

        self.assert_refused(response, "it is locked for now. Try again in 10 minutes.")
        self.assertContains(response, 'class="errornote"')

    def test_the_admin_login_still_logs_in(self):
        self.fail(2, username="ada")

        self.assert_logged_in(self.attempt(username="ada"), username="ada")

    def test_failures_on_the_site_lock_the_admin_login_too(self):
        self.url_name = "login"
        self.fail(5, username="ada")
        self.url_name = "admin:login"

        self.assert_refused(self.attempt(username="ada"), "it is locked for now")

    def test_a_right_password_without_staff_status_is_not_counted_as_a_guess(self):
        self.attempt(username="olga")

        self.assertFalse(LoginThrottle.objects.exists())


class ClientAddressTests(BaseTestCase):
    def request(self, address="203.0.113.9", forwarded=None):
        extra = {"REMOTE_ADDR": address}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().get("/", **extra)

    @override_settings(LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR=False)
    def test_x_forwarded_for_is_ignored_unless_trusted(self):
        self.assertEqual(client_address(self.request(forwarded="198.51.100.1")), "203.0.113.9")

    @override_settings(LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR=True)
    def test_a_trusted_x_forwarded_for_gives_the_address_the_proxy_appended(self):
        self.assertEqual(client_address(self.request(forwarded="6.6.6.6, 198.51.100.1")), "198.51.100.1")

    @override_settings(LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR=True)
    def test_a_trusted_but_missing_x_forwarded_for_falls_back_to_remote_addr(self):
        self.assertEqual(client_address(self.request()), "203.0.113.9")

    def test_ipv6_clients_are_grouped_by_their_64_network(self):
        self.assertEqual(client_address(self.request("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64")
        self.assertEqual(client_address(self.request("2001:db8:1:2:bbbb::9")), "2001:db8:1:2::/64")

    def test_ipv4_mapped_addresses_count_as_ipv4(self):
        self.assertEqual(client_address(self.request("::ffff:192.0.2.1")), "192.0.2.1")

    @override_settings(**THROTTLE)
    def test_spoofed_x_forwarded_for_does_not_escape_the_address_lock(self):
        for number in range(8):
            pass_time(60)
            self.client.post(
                reverse("login"),
                {"username": f"guess{number}", "password": "wrong"},
                REMOTE_ADDR="192.0.2.10",
                HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
            )

        self.assertTrue(LoginThrottle.objects.get(scope=ThrottleScope.ADDRESS, key="192.0.2.10").locked_until)
