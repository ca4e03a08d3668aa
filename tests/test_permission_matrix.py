"""The permission matrix: every URL pattern, visited by every role with GET and POST.

``walk_patterns`` lists every named URL pattern of config.urls, included apps
and the admin's patterns. ``EXPECTED`` says, per pattern and method, what each
role gets as an outcome class (``outcome``): "ok" (2xx), "login" (a redirect to
a login page), "redirect" (any other redirect), "forbidden" (403), "missing"
(404), "method" (405), "unauthorized" (401: the API refuses the credentials) or
"invalid" (400, 409, 422: let in, but the empty form refused). The admin's own
generic patterns are generated per registered model from the permissions the
roles hold (``admin_expectations``). A pattern with no entry fails
``test_the_table_covers_every_url_pattern``.

The API's patterns ("api:…") are visited with a read-and-write token of each
role's user instead of a session: the outsider's is a token made before they
left the analysts, which stops working with the role.
"""

from django.contrib import admin
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import LoginThrottle, ThrottleScope
from api.models import ApiToken, TokenScope
from claims.roles import ANALYSTS, REVIEWERS, ROLE_PERMISSIONS
from tests.base import BaseTestCase
from tests.captures import import_capture

ROLES = ("anonymous", "outsider", "analyst", "reviewer", "admin")
STAFF = ("analyst", "reviewer", "admin")


def walk_patterns(resolver: URLResolver | None = None, namespace: str = "", route: str = "") -> set[str]:
    """Every URL pattern under ``resolver``: "namespace:name", or "route:<full route>" if it has no name."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= walk_patterns(pattern, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else f"route:{route}{pattern.pattern}")
    return names


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.headers["Location"]
        login_pages = (reverse("login"), reverse("admin:login"))
        return "login" if location.startswith(login_pages) else "redirect"
    if "HX-Redirect" in response.headers:
        return "login"
    return {
        401: "unauthorized",
        403: "forbidden",
        404: "missing",
        405: "method",
        400: "invalid",
        409: "invalid",
        422: "invalid",
    }.get(status, "ok" if 200 <= status < 300 else f"status {status}")


def every(value: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, value)


def roles(anonymous, outsider, analyst, reviewer=None, admin=None) -> dict[str, str]:
    return {
        "anonymous": anonymous,
        "outsider": outsider,
        "analyst": analyst,
        "reviewer": reviewer or analyst,
        "admin": admin or reviewer or analyst,
    }


def authors_only(outcome: str) -> dict[str, str]:
    """The records these pages change are the analyst's drafts: only their author (and admins) may."""
    return roles("login", "forbidden", outcome, "forbidden", outcome)


PUBLIC = {"GET": every("ok"), "POST": every("method")}
DESK_PAGE = roles("login", "forbidden", "ok")
DESK_POST_ONLY = {"GET": roles("login", "forbidden", "method"), "POST": roles("login", "forbidden", "invalid")}

# Each entry: pattern name -> {method: {role: outcome}}. Desk POSTs carry an empty form.
EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    "reader:home": PUBLIC,
    "reader:contradictions": PUBLIC,
    "reader:questions": PUBLIC,
    "reader:contradiction": PUBLIC,
    "reader:contradiction_json": PUBLIC,
    "reader:question": PUBLIC,
    "reader:question_json": PUBLIC,
    "reader:actor": PUBLIC,
    "reader:actor_json": PUBLIC,
    "reader:changes": PUBLIC,
    "reader:feed": PUBLIC,
    "reader:source": PUBLIC,
    "reader:search": PUBLIC,
    "reader:capture": PUBLIC,  # a download of an archived copy
    "reader:capture_body": PUBLIC,
    "reader:contradiction_citation": PUBLIC,  # a BibTeX, RIS or CSL-JSON file
    "reader:claim_citation": PUBLIC,
    "reader:question_citation": PUBLIC,
    "reader:embed_contradiction": PUBLIC,  # the card other sites may frame
    "reader:oembed": PUBLIC,  # asked about the contradiction page (url_for)
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "favicon": {"GET": every("redirect"), "POST": every("method")},  # to the icon's static address
    "login": {"GET": every("ok"), "POST": every("ok")},  # an empty login form is shown again with its errors
    "logout": {"GET": every("method"), "POST": roles("redirect", "redirect", "redirect")},
    "desk:home": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:source_import": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    "desk:source": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:claim_new": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    "desk:anchor_preview": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:source_submit": {
        "GET": roles("login", "forbidden", "method"),
        "POST": roles("login", "forbidden", "redirect", "forbidden"),
    },
    # The matrix's source has no address: there is no page to re-check (409), and nothing is fetched.
    "desk:source_recheck": DESK_POST_ONLY,
    "desk:similar_claims": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:claim_edit": {"GET": authors_only("ok"), "POST": authors_only("invalid")},
    "desk:claim_submit": {"GET": roles("login", "forbidden", "method"), "POST": authors_only("redirect")},
    "desk:actor_suggestions": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:propositions": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:proposition_suggestions": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:proposition_new": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    "desk:board": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:proposition_edit": {"GET": authors_only("ok"), "POST": authors_only("invalid")},
    "desk:proposition_submit": DESK_POST_ONLY | {"POST": authors_only("redirect")},
    "desk:board_submit": DESK_POST_ONLY | {"POST": roles("login", "forbidden", "redirect", "forbidden")},
    "desk:stance_add": DESK_POST_ONLY | {"POST": roles("login", "forbidden", "missing")},  # no such claim
    "desk:stance_card": {"GET": roles("login", "forbidden", "redirect"), "POST": roles("login", "forbidden", "method")},
    "desk:stance_edit": {"GET": authors_only("ok"), "POST": authors_only("invalid")},
    "desk:stance_move": DESK_POST_ONLY | {"POST": authors_only("invalid")},  # the empty form has no side, no version
    "desk:stance_remove": DESK_POST_ONLY | {"POST": authors_only("invalid")},  # the empty form has no version
    "desk:stance_submit": DESK_POST_ONLY | {"POST": authors_only("redirect")},
    "desk:actors": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:actor_new": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},  # an empty form
    # The analyst's draft actor: everyone at the desk reads it; only its author (and admins) edit or submit it.
    "desk:actor": {"GET": DESK_PAGE, "POST": authors_only("invalid")},
    "desk:actor_submit": DESK_POST_ONLY | {"POST": authors_only("redirect")},
    # Revising an approved record: the desk's form for a revision that waits for review.
    "desk:claim_revise": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    "desk:proposition_revise": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    "desk:stance_revise": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    # Questions and their answers, as propositions and stances are.
    "desk:questions": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:question_new": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    "desk:question_suggestions": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:question": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "method")},
    "desk:question_edit": {"GET": authors_only("ok"), "POST": authors_only("invalid")},
    "desk:question_submit": DESK_POST_ONLY | {"POST": authors_only("redirect")},
    "desk:question_revise": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    # Only the analyst has drafts on the question; the others have nothing to send.
    "desk:question_submit_drafts": DESK_POST_ONLY | {"POST": roles("login", "forbidden", "redirect", "forbidden")},
    "desk:answer_add": DESK_POST_ONLY | {"POST": roles("login", "forbidden", "missing")},  # no such claim
    "desk:claim_answer": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    "desk:answer_card": {"GET": roles("login", "forbidden", "redirect"), "POST": roles("login", "forbidden", "method")},
    "desk:answer_edit": {"GET": authors_only("ok"), "POST": authors_only("invalid")},
    "desk:answer_submit": DESK_POST_ONLY | {"POST": authors_only("redirect")},
    "desk:answer_revise": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    # Translations of quotes: drafts are their author's; anyone at the desk proposes changes to approved ones.
    "desk:claim_translations": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    "desk:source_translations": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    "desk:translation_edit": {"GET": authors_only("ok"), "POST": authors_only("invalid")},
    "desk:translation_submit": DESK_POST_ONLY | {"POST": authors_only("redirect")},
    "desk:translation_revise": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    # A reader's translation language: a cookie and back to the page, for everyone.
    "reader:translation_preference": {"GET": every("redirect"), "POST": every("method")},
}

# The API. Reading needs no token, but a token sent must work (the outsider's does not); writing needs a
# working read-and-write token, and sending to review is for the records' author (and admins).
API_READ = {"GET": roles("ok", "unauthorized", "ok"), "POST": every("method")}
API_OPEN = {"GET": every("ok"), "POST": every("method")}  # no token is read: the root, schema, docs
API_CREATE = {"POST": roles("unauthorized", "unauthorized", "invalid")}  # an empty body
API_SUBMIT = {
    "GET": every("method"),
    "POST": roles("unauthorized", "unauthorized", "ok", "forbidden", "ok"),
}
EXPECTED |= {
    "api:root": API_OPEN,
    "api:api-root": API_OPEN,  # ninja's name for the same address
    "api:openapi-json": API_OPEN,
    "api:openapi-view": API_OPEN,
    "api:problems": API_OPEN,
    "api:contradictions": API_READ,
    "api:contradiction": API_READ,
    "api:questions": API_READ,
    "api:question": API_READ,
    "api:claims": API_READ | API_CREATE,
    "api:claim_create": API_READ | API_CREATE,  # the same address as api:claims
    "api:claim": API_READ,
    "api:contradiction_citation": API_READ,
    "api:claim_citation": API_READ,
    "api:stances": API_READ | API_CREATE,
    "api:stance_create": API_READ | API_CREATE,
    "api:stance": API_READ,
    "api:actors": API_READ,
    "api:actor": API_READ,
    "api:sources": API_READ | API_CREATE,
    "api:source_create": API_READ | API_CREATE,
    "api:source": API_READ,
    "api:proposition_create": {"GET": every("method"), **API_CREATE},
    "api:claim_submit": API_SUBMIT,
    "api:stance_submit": API_SUBMIT,
    "api:proposition_submit": API_SUBMIT,
    # Only the analyst has drafts in the source; the others' requests find none to send (409).
    "api:source_submit": {"GET": every("method"), "POST": roles("unauthorized", "unauthorized", "ok", "invalid")},
    # The desk's page of one's own tokens; the token revoked is the analyst's.
    "tokens:list": {"GET": DESK_PAGE, "POST": roles("login", "forbidden", "invalid")},
    "tokens:revoke": {
        "GET": roles("login", "forbidden", "method"),
        "POST": roles("login", "forbidden", "redirect", "missing"),
    },
}

ADMIN_SITE_PAGES = {
    "route:admin/(?P<url>.*)$": {"GET": roles("login", "login", "missing"), "POST": roles("login", "login", "missing")},
    "admin:auth_user_password_change": {
        "GET": roles("login", "login", "forbidden", "forbidden", "ok"),
        "POST": roles("login", "login", "forbidden", "forbidden", "ok"),
    },
    "admin:login": {"GET": roles("ok", "ok", "redirect"), "POST": roles("ok", "ok", "ok")},
    "admin:logout": {"GET": roles("redirect", "redirect", "method"), "POST": every("redirect")},
    "admin:index": {"GET": roles("login", "login", "ok"), "POST": roles("login", "login", "ok")},
    "admin:password_change": {"GET": roles("login", "login", "ok"), "POST": roles("login", "login", "ok")},
    "admin:password_change_done": {"GET": roles("login", "login", "ok"), "POST": roles("login", "login", "method")},
    "admin:jsi18n": {"GET": roles("login", "login", "ok"), "POST": roles("login", "login", "method")},
    "admin:autocomplete": {"GET": roles("login", "login", "forbidden"), "POST": roles("login", "login", "method")},
    "admin:view_on_site": {"GET": roles("login", "login", "redirect"), "POST": roles("login", "login", "redirect")},
    "admin:app_list": {"GET": roles("login", "login", "ok"), "POST": roles("login", "login", "ok")},
    "admin:review_queue": {
        "GET": roles("login", "login", "forbidden", "ok"),
        "POST": roles("login", "login", "forbidden", "redirect"),
    },
}
MODEL_VIEWS = ("changelist", "add", "change", "delete", "history")

# What nobody does through the admin, whatever their permissions: the audit trail
# is written by the model layer, revisions are decided by review actions only, and
# throttle counters are made by failed logins (an administrator may clear them).
# Webhook deliveries are made by events and changed by the worker (an administrator
# may delete them, or retry them); the worker's task records are the task backend's.
REFUSED_IN_ADMIN = {
    "claims.statechange": {"add", "change", "delete"},
    "claims.fieldchange": {"add", "change", "delete"},
    "claims.revision": {"add", "change", "delete"},
    "accounts.loginthrottle": {"add"},
    "webhooks.delivery": {"add", "change"},
    "django_tasks_database.dbtaskresult": {"add", "change", "delete"},
}
# An empty POST to a change page re-renders the form with its errors, except where
# no field is editable: then it saves nothing and goes back to the list.
NOTHING_TO_EDIT = {"accounts.loginthrottle"}


def role_permissions(role: str, model_label: str) -> set[str]:
    """The admin actions ``role`` holds on a model by the roles spec (claims.roles.ROLE_PERMISSIONS)."""
    if role == "admin":
        return {"view", "add", "change", "delete"}
    group = {"analyst": ANALYSTS, "reviewer": REVIEWERS}[role]
    app_label, model_name = model_label.split(".")
    return {
        action
        for app, model, actions in ROLE_PERMISSIONS[group]
        if (app, model) == (app_label, model_name)
        for action in actions
    }


def admin_expectations(model_label: str, view: str) -> dict[str, dict[str, str]]:
    """Each role's outcome on one of a model's admin pages, from the roles spec."""
    # Neither an anonymous visitor nor an account without staff status gets past the admin's login.
    expected = {"GET": {"anonymous": "login", "outsider": "login"}, "POST": {"anonymous": "login", "outsider": "login"}}
    for role in STAFF:
        held = role_permissions(role, model_label) - REFUSED_IN_ADMIN.get(model_label, set())
        sees = bool(held & {"view", "change"})
        if view in ("changelist", "history"):
            get = post = "ok" if sees else "forbidden"
        elif view == "change":
            get = "ok" if sees else "forbidden"
            post = "forbidden" if "change" not in held else "redirect" if model_label in NOTHING_TO_EDIT else "ok"
        else:  # add and delete: the page, and an empty POST showing the form or confirmation again
            get = post = "ok" if view in held else "forbidden"
        expected["GET"][role], expected["POST"][role] = get, post
    return expected


def admin_model_views() -> dict[str, tuple[str, str]]:
    """Each registered model's admin page names, as (model label, view)."""
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}": (model._meta.label_lower, view)
        for model in admin.site._registry
        for view in MODEL_VIEWS
    }


def admin_model_names() -> set[str]:
    """Each registered model's admin pages, and the unnamed address that redirects to its change page."""
    return set(admin_model_views()) | {
        f"route:admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"
        for model in admin.site._registry
    }


class PermissionMatrixTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from claims.models import Actor, Claim, Proposition, Stance
        from tests.base import make_claim

        cls.contradiction = cls.build_contradiction(cls)
        cls.draft_claim = make_claim(cls.source, "Its chief spokesman said", cls.taliban, cls.analyst)
        cls.draft_stance = Stance.objects.create(
            claim=cls.draft_claim, proposition=cls.contradiction, side="qualifies", created_by=cls.analyst
        )
        cls.public_claim = Claim.objects.filter(state="approved").first()
        cls.draft_proposition = Proposition.objects.create(statement="A draft statement.", created_by=cls.analyst)
        cls.draft_actor = Actor.objects.create(name="A draft actor", created_by=cls.analyst)
        # One record of each audit kind, so their admin pages show a record rather than "not found".
        cls.draft_claim.paraphrase = "The spokesman disclaims responsibility."
        cls.draft_claim.save_edit(expected_version=cls.draft_claim.version, fields=["paraphrase"], by=cls.analyst)
        other_public_claim = Claim.objects.filter(state="approved").exclude(pk=cls.public_claim.pk).first()
        other_public_claim.propose_revision(cls.analyst, {"paraphrase": "The Taliban deny supporting the TTP."})
        cls.capture = import_capture(cls.source, body="The page as it was captured.")
        LoginThrottle.objects.create(
            scope=ThrottleScope.ACCOUNT, key="alice", failures=2, last_failure_at=timezone.now()
        )
        cls.api_tokens = {
            role: ApiToken.issue(user=user, name="matrix", scope=TokenScope.WRITE)[1]
            for role, user in (
                ("outsider", cls.outsider),
                ("analyst", cls.analyst),
                ("reviewer", cls.reviewer),
                ("admin", cls.admin),
            )
        }
        cls.analyst_token = ApiToken.objects.get(user=cls.analyst)
        from claims.models import Answer, Question
        from tests.base import approve

        cls.public_question = approve(
            Question.objects.create(text="When was it agreed?", value_type="date", created_by=cls.analyst), cls.reviewer
        )
        # One answer, so its admin pages show a record.
        cls.public_answer = approve(
            Answer.objects.create(
                question=cls.public_question, claim=cls.public_claim, value_text="2022", created_by=cls.analyst
            ),
            cls.reviewer,
        )

        cls.draft_question = Question.objects.create(
            text="How many were killed?", value_type="quantity", unit="people", created_by=cls.analyst
        )
        cls.draft_answer = Answer.objects.create(
            question=cls.draft_question, claim=cls.draft_claim, value_text="at least 30", created_by=cls.analyst
        )
        # A translation of the public claim's quote (and a draft one), so their admin and desk pages show a record.
        from claims.translations import Translation

        cls.public_translation = approve(
            Translation.record(
                claim=cls.public_claim, language="ur", text="ترجمہ", translator="Desk", created_by=cls.analyst
            ),
            cls.reviewer,
        )
        cls.draft_translation = Translation.record(
            claim=cls.draft_claim, language="ps", text="ژباړه", translator="Desk", created_by=cls.analyst
        )
        # A webhook endpoint with a delivery and its queued task, so their admin pages show a record.
        from webhooks.models import Delivery, Endpoint
        from webhooks.tasks import deliver

        endpoint = Endpoint.objects.create(
            name="Newsroom", url="https://93.184.215.14/hooks", events=["record.approved"]
        )
        delivery = Delivery.objects.create(endpoint=endpoint, event="record.approved", body="{}")
        deliver.enqueue(delivery.pk, 1)

    def kwargs_for(self, name: str) -> list:
        c = self.contradiction
        by_name = {
            "reader:contradiction": [c.slug],
            "reader:contradiction_json": [c.slug],
            "reader:question": [self.public_question.slug],
            "reader:question_json": [self.public_question.slug],
            "reader:actor": [self.pakistan.slug],
            "reader:actor_json": [self.pakistan.slug],
            "reader:source": [self.source.pk],
            "reader:capture": [self.source.pk, self.capture.pk],
            "reader:capture_body": [self.source.pk, self.capture.pk],
            "reader:contradiction_citation": [c.slug, "bib"],
            "reader:claim_citation": [self.public_claim.pk, "ris"],
            "reader:question_citation": [self.public_question.slug, "json"],
            "reader:embed_contradiction": [c.slug],
            "desk:source": [self.source.pk],
            "desk:claim_new": [self.source.pk],
            "desk:anchor_preview": [self.source.pk],
            "desk:source_submit": [self.source.pk],
            "desk:source_recheck": [self.source.pk],
            "desk:claim_edit": [self.draft_claim.pk],
            "desk:claim_submit": [self.draft_claim.pk],
            "desk:board": [c.slug],
            "desk:proposition_edit": [self.draft_proposition.slug],
            "desk:proposition_submit": [self.draft_proposition.slug],
            "desk:board_submit": [c.slug],
            "desk:stance_add": [c.slug],
            "desk:actor": [self.draft_actor.slug],
            "desk:actor_submit": [self.draft_actor.slug],
            "admin:app_list": ["claims"],
            "desk:claim_revise": [self.public_claim.pk],
            "desk:proposition_revise": [c.slug],
            "desk:stance_revise": [self.public_claim.stances.first().pk],
            "desk:question": [self.public_question.slug],
            "desk:question_revise": [self.public_question.slug],
            "desk:answer_add": [self.public_question.slug],
            "desk:question_edit": [self.draft_question.slug],
            "desk:question_submit": [self.draft_question.slug],
            "desk:question_submit_drafts": [self.draft_question.slug],
            "desk:claim_answer": [self.draft_claim.pk],
            "desk:answer_card": [self.draft_answer.pk],
            "desk:answer_edit": [self.draft_answer.pk],
            "desk:answer_submit": [self.draft_answer.pk],
            "desk:answer_revise": [self.public_answer.pk],
            "desk:claim_translations": [self.draft_claim.pk],
            "desk:source_translations": [self.source.pk],
            "desk:translation_edit": [self.draft_translation.pk],
            "desk:translation_submit": [self.draft_translation.pk],
            "desk:translation_revise": [self.public_translation.pk],
            "api:contradiction": [c.slug],
            "api:question": [self.public_question.slug],
            "api:claim": [self.public_claim.pk],
            "api:contradiction_citation": [c.slug],
            "api:claim_citation": [self.public_claim.pk],
            "api:stance": [self.public_claim.stances.first().pk],
            "api:actor": [self.pakistan.slug],
            "api:source": [self.source.pk],
            "api:claim_submit": [self.draft_claim.pk],
            "api:stance_submit": [self.draft_stance.pk],
            "api:proposition_submit": [self.draft_proposition.slug],
            "api:source_submit": [self.source.pk],
            "tokens:revoke": [self.analyst_token.pk],
        }
        if name.startswith("desk:stance_") and name != "desk:stance_revise":
            return [self.draft_stance.pk]
        if name == "admin:view_on_site":
            from django.contrib.contenttypes.models import ContentType

            return [ContentType.objects.get_for_model(c).pk, c.pk]
        if name.startswith("admin:") and name.endswith(("_change", "_delete", "_history")):
            model = next(
                (
                    model
                    for model in admin.site._registry
                    if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_")
                ),
                None,
            )
            if model is None:
                return []
            first = model._default_manager.order_by("pk").first()
            return [first.pk if first else 1]
        return by_name.get(name, [])

    def users(self) -> dict[str, object]:
        return {
            "anonymous": None,
            "outsider": self.outsider,
            "analyst": self.analyst,
            "reviewer": self.reviewer,
            "admin": self.admin,
        }

    def url_for(self, name: str) -> str:
        if name.startswith("route:"):
            return "/admin/no-such-page/"
        if name == "reader:oembed":  # as a consumer asks: about a contradiction page
            return f"{reverse(name)}?url=http://testserver{self.contradiction.get_absolute_url()}"
        return reverse(name, args=self.kwargs_for(name))

    def expected_for(self, name: str) -> dict[str, dict[str, str]]:
        if name in EXPECTED:
            return EXPECTED[name]
        if name in ADMIN_SITE_PAGES:
            return ADMIN_SITE_PAGES[name]
        return admin_expectations(*admin_model_views()[name])

    def credentials(self, role: str, name: str) -> dict:
        """The API is visited with the role's token; the rest of the site with its session alone."""
        if name.startswith("api:") and role in self.api_tokens:
            return {"HTTP_AUTHORIZATION": f"Bearer {self.api_tokens[role]}"}
        return {}

    # The API's rate limits have tests of their own; here every role's visits come from one address.
    @override_settings(API_RATE_LIMIT_ANONYMOUS=10_000, API_RATE_LIMIT_FAILED_AUTH=10_000)
    def test_every_role_gets_the_expected_outcome_everywhere(self):
        names = sorted(set(EXPECTED) | set(ADMIN_SITE_PAGES) | admin_model_names())
        wrong = {}
        for role, user in self.users().items():
            client = Client()
            if user:
                client.force_login(user)
            for name in names:
                if name.startswith("route:admin/") and name != "route:admin/(?P<url>.*)$":
                    continue
                url = self.url_for(name)
                extra = self.credentials(role, name)
                for method, expected in self.expected_for(name).items():
                    if user:  # logging out on the way must not turn the rest into anonymous visits
                        client.force_login(user)
                    with transaction.atomic():  # nothing a POST changes carries over to the next visit
                        response = client.get(url, **extra) if method == "GET" else client.post(url, **extra)
                        transaction.set_rollback(True)
                    got = outcome(response)
                    if got != expected[role]:
                        wrong[f"{role} {method} {name}"] = f"{got} (expected {expected[role]})"
        self.maxDiff = None
        self.assertEqual(wrong, {})

    @override_settings(API_RATE_LIMIT_ANONYMOUS=10_000, API_RATE_LIMIT_FAILED_AUTH=10_000)
    def test_read_only_tokens_read_what_read_and_write_tokens_read(self):
        """The other token scope: every API address that reads gives each role's read-only token the same outcome."""
        read_tokens = {
            role: ApiToken.issue(user=getattr(self, role), name="matrix, read", scope=TokenScope.READ)[1]
            for role in self.api_tokens
        }
        reading = sorted(name for name, methods in EXPECTED.items() if methods.get("GET") == API_READ["GET"])
        self.assertIn("api:questions", reading)
        wrong = {}
        for role, token in read_tokens.items():
            for name in reading:
                response = Client().get(self.url_for(name), HTTP_AUTHORIZATION=f"Bearer {token}")
                if outcome(response) != API_READ["GET"][role]:
                    wrong[f"{role} GET {name}"] = f"{outcome(response)} (expected {API_READ['GET'][role]})"
        self.assertEqual(wrong, {})

    def test_the_table_covers_every_url_pattern(self):
        self.assertEqual(walk_patterns() - set(EXPECTED) - set(ADMIN_SITE_PAGES) - admin_model_names(), set())
        self.assertEqual((set(EXPECTED) | set(ADMIN_SITE_PAGES) | admin_model_names()) - walk_patterns(), set())


class ReviewActionRefusalTests(BaseTestCase):
    """Approve and reject, posted by someone who may not review, are refused and change nothing."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from claims.models import Claim, Proposition, Revision, Stance, StateChange
        from tests.base import approve, make_claim

        proposition = Proposition.objects.create(statement="The TTP is sheltered.", created_by=cls.other_analyst)
        claim = make_claim(cls.source, "the Taliban is providing shelter for TTP members", cls.pakistan, cls.analyst)
        stance = Stance.objects.create(claim=claim, proposition=proposition, side="supports", created_by=cls.analyst)
        public = approve(
            make_claim(cls.source, "they do not provide support to TTP’s operations", cls.taliban, cls.analyst),
            cls.reviewer,
        )
        revision = public.propose_revision(cls.other_analyst, {"paraphrase": "They deny it."})
        for record in (proposition, claim, stance):
            record.submit(record.created_by)
        cls.pending = [proposition, claim, stance, Revision.objects.get(pk=revision.pk)]
        cls.models = (Proposition, Claim, Stance, Revision, StateChange)

    def snapshot(self) -> dict:
        """Every record's review state and version, and the size of the audit trail."""
        snapshot = {
            model.__name__: list(model.objects.order_by("pk").values_list("pk", "state")) for model in self.models[:4]
        }
        snapshot["StateChange"] = self.models[4].objects.count()
        return snapshot

    def attempts(self):
        """(what, url, data) for approving and rejecting each pending record every way the admin offers."""
        reject = {"confirm_reject": "yes", "reason": "Not good enough"}
        for record in self.pending:
            opts = record._meta
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
            key = f"{opts.model_name}:{record.pk}"
            for action, extra in (("approve", {}), ("reject", reject)):
                yield (
                    f"{action} {key} from the list",
                    changelist,
                    {"action": f"{action}_selected", "_selected_action": [record.pk], **extra},
                )
                yield (
                    f"{action} {key} from its page",
                    change,
                    {"CHANGE_FORM-action": f"{action}_selected", "_selected_action": record.pk, **extra},
                )
                yield (
                    f"{action} {key} from the queue",
                    reverse("admin:review_queue"),
                    {"action": action, "item": [key], **extra},
                )

    def test_approve_and_reject_posted_without_the_review_permission_change_nothing(self):
        before = self.snapshot()
        wrong = {}
        for who in (None, self.outsider, self.analyst, self.other_analyst):
            client = Client()
            if who:
                client.force_login(who)
            for what, url, data in self.attempts():
                response = client.post(url, data)
                if response.status_code >= 500 or self.snapshot() != before:
                    wrong[f"{who or 'anonymous'}: {what}"] = response.status_code
        self.assertEqual(wrong, {})

    def test_the_review_queue_refuses_analysts_with_403(self):
        self.client.force_login(self.analyst)
        key = f"claim:{self.pending[1].pk}"
        response = self.client.post(reverse("admin:review_queue"), {"action": "approve", "item": [key]})
        self.assertEqual(response.status_code, 403)

    def test_a_reviewer_posting_the_same_actions_does_change_records(self):
        # The refusals above are not an artefact of malformed posts: the same data works for a reviewer.
        self.client.force_login(self.other_reviewer)
        before = self.snapshot()
        for what, url, data in self.attempts():
            if what.startswith("approve") and what.endswith("from the list"):
                self.client.post(url, data)
        self.assertNotEqual(self.snapshot(), before)
        self.assertFalse(any(model.objects.filter(state="pending").exists() for model in self.models[:4]))


class CsrfTests(BaseTestCase):
    """State-changing posts without a CSRF token are refused with 403 and change nothing."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from claims.models import Proposition, Stance
        from tests.base import make_claim

        cls.claim = make_claim(
            cls.source, "the Taliban is providing shelter for TTP members", cls.pakistan, cls.analyst
        )
        cls.proposition = Proposition.objects.create(statement="The Taliban shelter the TTP.", created_by=cls.analyst)
        cls.stance = Stance.objects.create(
            claim=cls.claim, proposition=cls.proposition, side="supports", created_by=cls.analyst
        )
        cls.pending = make_claim(
            cls.source, "they do not provide support to TTP’s operations", cls.taliban, cls.analyst
        )
        cls.pending.submit(cls.analyst)

    def posts(self):
        """(what, user, url, data): one of each kind of state-changing request."""
        claim, stance = self.claim, self.stance
        yield (
            "import a source",
            self.analyst,
            reverse("desk:source_import"),
            {
                "title": "New report",
                "language": "en",
                "text": "A new text to quote from.",
            },
        )
        yield (
            "record a claim",
            self.analyst,
            reverse("desk:claim_new", args=[self.source.pk]),
            {
                "quote": "they are not responsible for Pakistan’s internal security issues",
                "claimant": "Afghan Taliban",
                "paraphrase": "Kabul is not responsible.",
            },
        )
        yield "submit a claim", self.analyst, reverse("desk:claim_submit", args=[claim.pk]), {}
        yield (
            "move a stance on the board",
            self.analyst,
            reverse("desk:stance_move", args=[stance.pk]),
            {
                "side": "disputes",
                "version": stance.version,
            },
        )
        yield (
            "edit a stance",
            self.analyst,
            reverse("desk:stance_edit", args=[stance.pk]),
            {
                "paraphrase": "Pakistan: shelter.",
                "claim_version": claim.version,
                "note": "Direct.",
                "stance_version": stance.version,
            },
        )
        yield (
            "approve from the review queue",
            self.reviewer,
            reverse("admin:review_queue"),
            {
                "action": "approve",
                "item": [f"claim:{self.pending.pk}"],
            },
        )
        yield (
            "approve from the change list",
            self.reviewer,
            reverse("admin:claims_claim_changelist"),
            {
                "action": "approve_selected",
                "_selected_action": [self.pending.pk],
            },
        )
        yield "log out", self.analyst, reverse("logout"), {}

    def snapshot(self) -> dict:
        from claims.models import Claim, FieldChange, Proposition, Stance, StateChange
        from sources.models import Source

        snapshot = {
            model.__name__: list(model.objects.order_by("pk").values_list("pk", "state", "version"))
            for model in (Claim, Proposition, Stance)
        }
        snapshot |= {model.__name__: model.objects.count() for model in (Source, StateChange, FieldChange)}
        return snapshot

    def check_refused(self, headers: dict) -> dict:
        wrong = {}
        before = self.snapshot()
        for what, user, url, data in self.posts():
            client = Client(enforce_csrf_checks=True)
            client.force_login(user)
            client.get(reverse("desk:home"))  # the CSRF cookie is there; the token is not sent
            response = client.post(url, data, **headers)
            still_logged_in = "_auth_user_id" in client.session
            if response.status_code != 403 or self.snapshot() != before or not still_logged_in:
                wrong[what] = response.status_code
        return wrong

    def test_plain_posts_without_a_token_are_refused(self):
        self.assertEqual(self.check_refused({}), {})

    def test_htmx_posts_without_the_token_header_are_refused(self):
        self.assertEqual(self.check_refused({"HTTP_HX_REQUEST": "true"}), {})

    def test_the_same_posts_with_the_token_are_accepted(self):
        # Proves the refusals above are the CSRF check's, not the data's.
        refused = {}
        for what, user, url, data in self.posts():
            client = Client(enforce_csrf_checks=True)
            client.force_login(user)
            client.get(reverse("desk:home"))
            token = client.cookies["csrftoken"].value
            with transaction.atomic():
                response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
                transaction.set_rollback(True)
            if response.status_code == 403:
                refused[what] = response.status_code
        self.assertEqual(refused, {})
