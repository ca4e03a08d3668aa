"""The checker itself: it must report what executes, or the page tests would prove nothing."""

from django.test import SimpleTestCase

from tests.security.hostile_records import PAYLOADS
from tests.security.html_checks import find_executable, url_scheme

EXECUTABLE = {
    "inline script": "<script>alert(1)</script>",
    "script with another nonce": '<script nonce="other">alert(1)</script>',
    "script from elsewhere": '<script src="https://evil.example/x.js"></script>',
    "protocol-relative script": '<script src="//evil.example/x.js"></script>',
    "script of a runnable type": '<script type="module">alert(1)</script>',
    "event handler": "<img src=x onerror=alert(1)>",
    "event handler in capitals": "<IMG SRC=x ONERROR=alert(1)>",
    "svg onload": "<svg onload=alert(1)>",
    "style attribute": '<p style="color:red">x</p>',
    "style element": "<style>p{color:red}</style>",
    "iframe": '<iframe src="https://example.org"></iframe>',
    "object": '<object data="x.swf"></object>',
    "embed": '<embed src="x.swf">',
    "base": '<base href="https://evil.example/">',
    "srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "javascript link": '<a href="javascript:alert(1)">x</a>',
    "javascript link in capitals": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "javascript link with entities": '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    "javascript link with an entity tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "javascript link with a leading control": '<a href=" &#14; javascript:alert(1)">x</a>',
    "javascript link with a named colon": '<a href="javascript&colon;alert(1)">x</a>',
    "vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "data link": '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "form action": '<form action="javascript:alert(1)"></form>',
    "formaction": "<button formaction=javascript:alert(1)>x</button>",
    "svg xlink": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "svg animation of a link": "<svg><a><animate attributeName=href values=javascript:alert(1) /></a></svg>",
    "mathml href": '<math href="javascript:alert(1)">x</math>',
    "htmx handler": '<div hx-on:click="alert(1)">x</div>',
    "htmx vals as code": "<div hx-vals='js:{a: alert(1)}'>x</div>",
    "image srcset": '<img srcset="javascript:alert(1) 1x">',
}

INERT = {
    "our nonce script": '<script nonce="abc123">init()</script>',
    "our static script": '<script src="/static/django_htmx/htmx-2.min.js" defer></script>',
    "json-ld block": '<script type="application/ld+json">{"@context": "https://schema.org"}</script>',
    "web link": '<a href="https://example.org/a?b=c" rel="noopener">x</a>',
    "relative link": '<a href="/contradictions/x/">x</a>',
    "mail link": '<a href="mailto:a@example.org">x</a>',
    "data image": '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
    "zero-width space in the scheme makes a relative link": '<a href="java\u200bscript:alert(1)">x</a>',
    "escaped markup is text": "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img onerror=alert(1)&gt;</p>",
    "htmx request to our site": '<a href="/x/" hx-get="/x/" hx-target="#main" hx-push-url="true">x</a>',
    "escaped attribute breaking": '<input value="&quot; onmouseover=&quot;alert(1)">',
}


class CheckerTests(SimpleTestCase):
    def test_it_reports_everything_executable(self):
        missed = [name for name, html in EXECUTABLE.items() if not find_executable(html)]

        self.assertEqual(missed, [])

    def test_it_reports_nothing_inert(self):
        reported = {name: find_executable(html, nonce="abc123") for name, html in INERT.items()}

        self.assertEqual({name: findings for name, findings in reported.items() if findings}, {})

    def test_it_says_where(self):
        findings = find_executable("<p>fine</p>\n<p>fine</p>\n<img src=x onerror=alert(1)>")

        self.assertEqual(findings, ["line 3, column 0: <img onerror=…> event handler"])

    def test_the_raw_corpus_is_mostly_caught(self):
        # Pasted into a page unescaped, the corpus must light the checker up: most
        # payloads are markup and the rest are URLs, tested in a link.
        caught = [
            payload
            for payload in PAYLOADS
            if find_executable(f"<div>{payload}</div>") or find_executable(f'<a href="{payload}">x</a>')
        ]

        self.assertGreater(len(caught), 0.75 * len(PAYLOADS))

    def test_url_schemes_are_read_as_browsers_read_them(self):
        self.assertEqual(url_scheme(" \x01java\tscr\nipt:alert(1)"), "javascript")
        self.assertEqual(url_scheme("HTTPS://example.org"), "https")
        self.assertIsNone(url_scheme("/relative/path:with-colon"))
