"""Fetching a page from an address: what is kept, how it is decoded, and every refusal.

The pages come from a server the tests start on 127.0.0.1 (``PageServer``),
serving the recorded pages in tests/fixtures/pages. Nothing reaches the internet:
addresses elsewhere are refused before any connection, and tests that use a host
name resolve it to 127.0.0.1 themselves.
"""

import hashlib
import ssl
import time
from unittest import mock

import httpcore
from django.test import SimpleTestCase, override_settings

from sources import fetching
from sources.fetching import (
    AddressRefused,
    BodyTooLarge,
    ContentTypeRefused,
    ErrorStatus,
    FetchTimedOut,
    TooManyRedirects,
    Unreachable,
    decode_page,
    fetch,
    normalize_address,
    refusal_for_ip,
)
from tests.pageserver import HUGE_BYTES, PAGES, PageServerTestCase


def connections_recorded():
    """Patch the socket layer under the fetcher so a test can see every address it connects to."""
    return mock.patch.object(
        httpcore.SyncBackend, "connect_tcp", autospec=True, side_effect=httpcore.SyncBackend.connect_tcp
    )


def resolving(*answers: list[str]):
    """Patch name resolution: each lookup returns the next list of addresses."""
    return mock.patch.object(fetching, "_resolve", side_effect=list(answers))


@override_settings(SOURCE_FETCH_ALLOW_PRIVATE=True)
class FetchedPageTests(PageServerTestCase):
    def test_it_keeps_the_page_as_received(self):
        fetched = fetch(self.url("/article"))

        body = (PAGES / "article.html").read_bytes()
        self.assertEqual(fetched.body, body)
        self.assertEqual(fetched.sha256, hashlib.sha256(body).hexdigest())
        self.assertEqual((fetched.status, fetched.reason), (200, "OK"))
        self.assertEqual(fetched.requested_address, self.url("/article"))
        self.assertEqual(fetched.final_address, self.url("/article"))
        self.assertEqual(fetched.redirects, ())

    def test_it_keeps_headers_in_order_with_their_case(self):
        fetched = fetch(self.url("/article"))

        names = [name for name, _ in fetched.headers]
        self.assertLess(names.index("Content-Type"), names.index("X-Recorded"))
        self.assertIn(("Content-Type", "text/html; charset=utf-8"), fetched.headers)

    def test_it_records_when_it_was_retrieved(self):
        before = fetching.timezone.now()
        fetched = fetch(self.url("/article"))

        self.assertIsNotNone(fetched.retrieved_at.tzinfo)
        self.assertGreaterEqual(fetched.retrieved_at, before)

    def test_it_decodes_a_utf8_article(self):
        fetched = fetch(self.url("/article"))

        self.assertEqual((fetched.content_type, fetched.declared_charset), ("text/html", "utf-8"))
        self.assertIn("“no artillery units were deployed", fetched.text)
        self.assertIn("Saint-Étienne-du-Pont", fetched.text)

    def test_it_accepts_markdown(self):
        fetched = fetch(self.url("/statement.md"))

        self.assertEqual(fetched.content_type, "text/markdown")
        self.assertIn("*no artillery units*", fetched.text)


ARABIC_QUOTE = "قال المتحدث باسم الوزارة يوم الثلاثاء"


@override_settings(SOURCE_FETCH_ALLOW_PRIVATE=True)
class DecodingTests(PageServerTestCase):
    def test_windows_1256_declared_in_the_header_reads_as_arabic(self):
        fetched = fetch(self.url("/arabic"))

        self.assertEqual(fetched.declared_charset, "windows-1256")
        self.assertEqual(fetched.encoding, "cp1256")
        self.assertIn(ARABIC_QUOTE, fetched.text)

    def test_windows_1256_declared_only_in_a_meta_tag_reads_as_arabic(self):
        fetched = fetch(self.url("/arabic-meta"))

        self.assertIsNone(fetched.declared_charset)
        self.assertIn(ARABIC_QUOTE, fetched.text)

    def test_undeclared_windows_1256_is_detected(self):
        self.assertIn(ARABIC_QUOTE, fetch(self.url("/arabic-undeclared")).text)

    def test_a_page_said_to_be_utf8_that_is_not_is_detected(self):
        self.assertIn(ARABIC_QUOTE, fetch(self.url("/arabic-said-utf8")).text)

    def test_a_meta_charset_is_used_when_the_header_charset_does_not_fit(self):
        self.assertIn(ARABIC_QUOTE, fetch(self.url("/arabic-meta-said-utf8")).text)

    def test_utf8_said_to_be_latin1_reads_as_utf8(self):
        fetched = fetch(self.url("/lying-charset"))

        self.assertEqual(fetched.declared_charset, "ISO-8859-1")
        self.assertEqual(fetched.encoding, "utf-8")
        self.assertIn("„keine Truppenbewegungen“", fetched.text)
        self.assertIn("Größere Schäden", fetched.text)


class DecodePageTests(SimpleTestCase):
    def test_latin1_is_read_as_windows_1252(self):
        self.assertEqual(decode_page(b"\x93quoted\x94 caf\xe9", "iso-8859-1"), ("“quoted” café", "cp1252"))

    def test_a_codec_that_is_not_a_charset_is_ignored(self):
        text, encoding = decode_page("Grüße".encode(), "rot13")

        self.assertEqual((text, encoding), ("Grüße", "utf-8"))

    def test_a_byte_order_mark_wins(self):
        text, _ = decode_page("\ufeffسلام".encode("utf-16-le"), "windows-1256")

        self.assertEqual(text, "سلام")

    def test_a_meta_charset_beyond_the_first_few_kilobytes_is_not_read(self):
        body = b" " * fetching.META_CHARSET_WINDOW + '<meta charset="windows-1256"><p>سلام</p>'.encode("cp1256")

        _, encoding = decode_page(body, None)

        self.assertNotEqual(encoding, "windows-1256")


@override_settings(SOURCE_FETCH_ALLOW_PRIVATE=True)
class RedirectTests(PageServerTestCase):
    def test_it_follows_a_redirect_chain_and_records_it(self):
        fetched = fetch(self.url("/redirect/1"))

        self.assertEqual(fetched.final_address, self.url("/article"))
        self.assertEqual(
            [(hop.address, hop.status, hop.location) for hop in fetched.redirects],
            [
                (self.url("/redirect/1"), 302, self.url("/redirect/0")),
                (self.url("/redirect/0"), 302, self.url("/article")),
            ],
        )

    def test_it_follows_five_redirects(self):
        self.assertEqual(len(fetch(self.url("/redirect/4")).redirects), 5)

    def test_it_refuses_a_sixth_redirect(self):
        with self.assertRaisesMessage(TooManyRedirects, "more than 5 times"):
            fetch(self.url("/redirect/5"))
        self.assertNotIn("/article", [path for path, _ in self.server.requests])

    def test_it_refuses_a_redirect_to_a_file_address(self):
        with self.assertRaisesMessage(AddressRefused, "“file:”"):
            fetch(self.url("/to-file"))


class PrivateAddressTests(PageServerTestCase):
    def test_loopback_is_refused_unless_allowed(self):
        with connections_recorded() as connect, self.assertRaisesMessage(AddressRefused, "loopback"):
            fetch(self.url("/article"))

        connect.assert_not_called()
        self.assertEqual(self.server.requests, [])

    def test_a_redirect_to_a_private_address_is_refused_before_connecting(self):
        # Only the test server's own address is let through; the real check judges 10.0.0.1.
        def loopback_allowed(address, allow_private=False):
            return None if address == "127.0.0.1" else refusal_for_ip(address, allow_private=allow_private)

        with (
            mock.patch.object(fetching, "refusal_for_ip", side_effect=loopback_allowed),
            connections_recorded() as connect,
            self.assertRaisesMessage(AddressRefused, "“10.0.0.1” leads to a network address that is on a private"),
        ):
            fetch(self.url("/to-private"))

        self.assertEqual({call.args[1] for call in connect.call_args_list}, {"127.0.0.1"})

    def test_a_name_with_any_private_address_is_refused(self):
        with (
            resolving(["93.184.216.34", "10.1.2.3"]),
            connections_recorded() as connect,
            self.assertRaises(AddressRefused),
        ):
            fetch("http://mixed.example/")

        connect.assert_not_called()

    def test_the_address_connected_to_is_checked_again(self):
        # A name that resolves to a public address when checked and to loopback when connecting.
        with (
            resolving(["93.184.216.34"], ["127.0.0.1"]),
            connections_recorded() as connect,
            self.assertRaisesMessage(AddressRefused, "loopback"),
        ):
            fetch(f"http://rebinding.example:{self.server.port}/article")

        connect.assert_not_called()


@override_settings(SOURCE_FETCH_ALLOW_PRIVATE=True)
class PinnedConnectionTests(PageServerTestCase):
    def test_it_connects_to_the_checked_address_and_sends_the_host_name(self):
        with resolving(["127.0.0.1"], ["127.0.0.1"]), connections_recorded() as connect:
            fetched = fetch(f"http://pages.test:{self.server.port}/host")

        self.assertEqual(fetched.text, f"pages.test:{self.server.port}")
        self.assertEqual([call.args[1] for call in connect.call_args_list], ["127.0.0.1"])

    def test_tls_is_verified_against_the_host_name(self):
        handshakes = []

        def wrap_socket(context, sock, server_hostname=None, **kwargs):
            handshakes.append((server_hostname, context.verify_mode, context.check_hostname, sock.getpeername()[0]))
            raise ssl.SSLError("handshake refused by the test")

        with (
            resolving(["127.0.0.1"], ["127.0.0.1"]),
            mock.patch.object(ssl.SSLContext, "wrap_socket", autospec=True, side_effect=wrap_socket),
            self.assertRaises(Unreachable),
        ):
            fetch(f"https://pages.test:{self.server.port}/article")

        self.assertEqual(handshakes, [("pages.test", ssl.CERT_REQUIRED, True, "127.0.0.1")])


@override_settings(SOURCE_FETCH_ALLOW_PRIVATE=True)
class RefusalTests(PageServerTestCase):
    def test_it_refuses_addresses_that_are_not_http(self):
        for address in ("ftp://example.com/statement.html", "file:///etc/passwd", "javascript:alert(1)", "example.com"):
            with self.subTest(address=address), connections_recorded() as connect:
                with self.assertRaisesMessage(AddressRefused, "Only http:// and https://"):
                    fetch(address)
                connect.assert_not_called()

    def test_it_refuses_a_pdf(self):
        with self.assertRaisesMessage(ContentTypeRefused, "“application/pdf”"):
            fetch(self.url("/statement.pdf"))

    def test_it_refuses_an_error_status_and_names_it(self):
        with self.assertRaisesMessage(ErrorStatus, "404 Not Found") as refused:
            fetch(self.url("/missing"))

        self.assertEqual(refused.exception.status, 404)

    @override_settings(SOURCE_FETCH_MAX_BYTES=64 * 1024)
    def test_it_stops_reading_a_body_over_the_limit(self):
        started = time.monotonic()
        with self.assertRaisesMessage(BodyTooLarge, "larger than 64.0\xa0KB"):
            fetch(self.url("/huge"))

        self.assertLess(time.monotonic() - started, 2)
        self.assertTrue(self.server.huge_done.wait(5))
        self.assertLess(self.server.huge_bytes_sent, HUGE_BYTES)

    @override_settings(SOURCE_FETCH_MAX_BYTES=64 * 1024)
    def test_it_refuses_a_declared_length_over_the_limit(self):
        with self.assertRaises(BodyTooLarge):
            fetch(self.url("/huge-declared"))

    @mock.patch.object(fetching, "TOTAL_TIMEOUT_SECONDS", 0.5)
    def test_it_gives_up_on_a_slow_server(self):
        started = time.monotonic()
        with self.assertRaisesMessage(FetchTimedOut, "within 0.5 seconds"):
            fetch(self.url("/slow"))

        self.assertLess(time.monotonic() - started, 1.5)

    @mock.patch.object(fetching, "TOTAL_TIMEOUT_SECONDS", 0.5)
    def test_it_gives_up_on_a_body_that_drips_in(self):
        started = time.monotonic()
        with self.assertRaises(FetchTimedOut):
            fetch(self.url("/drip"))

        self.assertLess(time.monotonic() - started, 1.5)

    @mock.patch.object(fetching, "TOTAL_TIMEOUT_SECONDS", 0.5)
    def test_it_gives_up_on_headers_that_drip_in(self):
        started = time.monotonic()
        with self.assertRaises(FetchTimedOut):
            fetch(self.url("/drip-headers"))

        self.assertLess(time.monotonic() - started, 1.5)


class RefusalForIpTests(SimpleTestCase):
    def test_public_addresses_pass(self):
        for address in ("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808"):
            with self.subTest(address=address):
                self.assertIsNone(refusal_for_ip(address))

    def test_non_public_addresses_are_refused(self):
        for address in (
            "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.2.1",  # noqa: S104 - addresses to judge, nothing binds
            "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "ff02::1", "2001:db8::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::1", "64:ff9b::a00:1", "not an address",
        ):  # fmt: skip
            with self.subTest(address=address):
                self.assertIsNotNone(refusal_for_ip(address))

    def test_allowing_private_addresses_lets_loopback_and_private_through(self):
        for address in ("127.0.0.1", "10.0.0.1", "::1", "::ffff:192.168.0.1"):
            with self.subTest(address=address):
                self.assertIsNone(refusal_for_ip(address, allow_private=True))

    def test_multicast_is_refused_even_when_private_is_allowed(self):
        self.assertIsNotNone(refusal_for_ip("224.0.0.1", allow_private=True))


class NormalizeAddressTests(SimpleTestCase):
    def test_scheme_and_host_are_lowercased(self):
        self.assertEqual(
            normalize_address("HTTPS://News.Example.COM/World/Story"), "https://news.example.com/World/Story"
        )

    def test_default_ports_are_dropped_and_others_kept(self):
        self.assertEqual(normalize_address("http://example.com:80/a"), "http://example.com/a")
        self.assertEqual(normalize_address("https://example.com:443/a"), "https://example.com/a")
        self.assertEqual(normalize_address("http://example.com:8080/a"), "http://example.com:8080/a")
        self.assertEqual(normalize_address("https://example.com:80/a"), "https://example.com:80/a")

    def test_the_fragment_is_dropped(self):
        self.assertEqual(normalize_address("https://example.com/story#comments"), "https://example.com/story")

    def test_an_empty_path_is_the_root(self):
        self.assertEqual(normalize_address("https://example.com"), "https://example.com/")

    def test_tracking_parameters_are_dropped_and_others_kept_in_order(self):
        address = (
            "https://example.com/story?id=7&utm_source=x&UTM_Medium=y&fbclid=1&page=2&gclid=3&mc_cid=4&mc_eid=5&a=1"
        )

        self.assertEqual(normalize_address(address), "https://example.com/story?id=7&page=2&a=1")

    def test_kept_parameters_are_not_re_encoded(self):
        self.assertEqual(
            normalize_address("https://example.com/s?q=a+b%2Fc&utm_campaign=z&empty="),
            "https://example.com/s?q=a+b%2Fc&empty=",
        )

    def test_only_tracking_parameters_leave_no_question_mark(self):
        self.assertEqual(normalize_address("https://example.com/s?utm_source=x"), "https://example.com/s")

    def test_ipv6_hosts_keep_their_brackets(self):
        self.assertEqual(normalize_address("http://[2001:DB8::1]:80/x"), "http://[2001:db8::1]/x")

    def test_addresses_that_are_not_http_are_refused(self):
        with self.assertRaises(AddressRefused):
            normalize_address("ftp://example.com/file")
