"""The proposition board: columns by side, adding, moving, editing, removing and submitting stances."""

import re

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from claims.models import FieldChange, Proposition, ReviewState, Side, Stance
from claims.roles import REVIEWERS
from tests.base import approve, keep_account, make_claim
from tests.desk.base import BOOSTED, HTMX, DeskTestCase, htmx_target

SPOKESMAN = "they are not responsible for Pakistan’s internal security issues"


def column(response, side: str) -> list[int]:
    """The stances a board's column shows, by id, in order."""
    found = re.search(rf'id="stances-{side}">(.*?)<p class="column__empty">', response.content.decode(), re.S)
    return [int(pk) for pk in re.findall(r'<article[^>]*id="stance-(\d+)"', found[1])]


def found_claims(response) -> list[int]:
    """The claims the board's search offers to add, by id."""
    return [
        int(pk) for pk in re.findall(r'<input type="hidden" name="claim" value="(\d+)">', response.content.decode())
    ]


class BoardPageTests(DeskTestCase):
    def setUp(self):
        self.login()

    def test_it_shows_the_claims_in_three_columns(self):
        response = self.client.get(self.board_url())
        self.assertEqual(column(response, Side.SUPPORTS), [self.stance.pk])
        self.assertEqual((column(response, Side.DISPUTES), column(response, Side.QUALIFIES)), ([], []))
        self.assertContains(response, 'id="stances-disputes"')

    def test_analysts_see_draft_propositions(self):
        response = self.client.get(self.board_url())
        self.assertContains(response, "The Afghan Taliban shelter the TTP.")

    def test_its_query_count_does_not_grow_with_the_stances(self):
        keep_account(self.analyst)
        with self.assertNumQueries(5):  # with my draft translations of my draft claims, which "send my drafts" sends
            self.client.get(self.board_url())
        for quote in ("Pakistan claims", "the Taliban insists", SPOKESMAN):
            claim = make_claim(self.source, quote, self.taliban, self.analyst)
            Stance.objects.create(
                claim=claim, proposition=self.proposition, side=Side.DISPUTES, created_by=self.analyst
            )
        with self.assertNumQueries(5):
            self.client.get(self.board_url())

    def test_an_unknown_proposition_is_a_readable_404(self):
        response = self.client.get(reverse("desk:board", args=["no-such-thing"]))
        self.assertContains(response, "There is no such proposition", status_code=404)

    def test_searching_finds_claims_not_yet_on_the_board(self):
        other = make_claim(self.source, SPOKESMAN, self.taliban, self.analyst)
        with self.assertNumQueries(4):
            response = self.client.get(self.board_url(), {"q": "taliban"}, **htmx_target("claim-results"))
        self.assertEqual(found_claims(response), [other.pk])
        self.assertNotContains(response, "<html")

    def test_search_matches_the_claimants_aliases(self):
        other = make_claim(self.source, "Pakistan claims", self.pakistan, self.analyst)
        response = self.client.get(self.board_url(), {"q": "islamabad"})
        self.assertEqual(found_claims(response), [other.pk])


class AddStanceTests(DeskTestCase):
    def setUp(self):
        self.login()
        self.other = make_claim(self.source, SPOKESMAN, self.taliban, self.analyst)
        self.url = reverse("desk:stance_add", args=[self.proposition.slug])

    def test_it_adds_the_claim_to_the_chosen_column_as_a_draft(self):
        response = self.client.post(self.url, {"claim": self.other.pk, "side": "disputes"})
        stance = Stance.objects.get(claim=self.other)
        self.assertRedirects(response, f"{self.board_url()}#stance-{stance.pk}", fetch_redirect_response=False)
        self.assertEqual((stance.side, stance.state, stance.created_by), ("disputes", "draft", self.analyst))

    def test_over_htmx_it_appends_the_card_to_its_column_and_updates_the_counts(self):
        response = self.client.post(self.url, {"claim": self.other.pk, "side": "disputes"}, **HTMX)
        self.assertContains(response, 'hx-swap-oob="beforeend:#stances-disputes"')
        self.assertContains(response, '<span id="count-disputes" class="side__count" hx-swap-oob="true">1</span>')
        self.assertContains(response, f'id="result-{self.other.pk}" class="result result--added"')
        self.assertContains(response, 'id="board-submit" class="board-submit" hx-swap-oob="true"')
        self.assertContains(response, "Send my 5 drafts on this board to review")

    def test_a_claim_already_on_the_board_is_refused(self):
        response = self.client.post(self.url, {"claim": self.claim.pk, "side": "disputes"}, **HTMX)
        self.assertContains(response, "already on the board", status_code=409)

    def test_an_unknown_claim_is_a_404(self):
        response = self.client.post(self.url, {"claim": 999, "side": "disputes"})
        self.assertEqual(response.status_code, 404)


class MoveStanceTests(DeskTestCase):
    def setUp(self):
        self.login()
        self.url = reverse("desk:stance_move", args=[self.stance.pk])

    def test_it_moves_the_claim_to_another_column(self):
        response = self.client.post(self.url, {"side": "disputes", "version": 1})
        self.assertRedirects(response, f"{self.board_url()}#stance-{self.stance.pk}", fetch_redirect_response=False)
        self.stance.refresh_from_db()
        self.assertEqual((self.stance.side, self.stance.version), ("disputes", 2))

    def test_over_htmx_only_the_card_and_the_counts_change(self):
        with self.assertNumQueries(9):
            response = self.client.post(self.url, {"side": "qualifies", "version": 1}, **HTMX)
        self.assertContains(response, 'hx-swap-oob="beforeend:#stances-qualifies"')
        self.assertContains(response, f'id="stance-{self.stance.pk}"')
        self.assertContains(response, '<span id="count-supports" class="side__count" hx-swap-oob="true">0</span>')
        self.assertNotContains(response, 'id="board-header"')

    def test_a_move_over_a_newer_version_is_refused_and_shows_the_current_card(self):
        self.stance.side = Side.QUALIFIES
        self.stance.save_edit(expected_version=1, fields=["side"])
        response = self.client.post(self.url, {"side": "disputes", "version": 1}, **HTMX)
        self.assertContains(response, "Someone else changed this stance", status_code=409)
        self.stance.refresh_from_db()
        self.assertEqual(self.stance.side, Side.QUALIFIES)

    def test_an_approved_stance_cannot_be_moved(self):
        approve(self.proposition, self.reviewer)
        approve(self.claim, self.reviewer)
        approve(self.stance, self.reviewer)
        response = self.client.post(self.url, {"side": "disputes", "version": self.stance.version}, **HTMX)
        self.assertContains(response, "This stance is approved", status_code=403)

    def test_a_rejected_stance_can_be_moved(self):
        self.stance.submit(self.analyst)
        self.stance.reject(self.reviewer, reason="Wrong side.")
        response = self.client.post(self.url, {"side": "disputes", "version": self.stance.version})
        self.assertEqual(response.status_code, 302)

    def test_an_unknown_side_is_refused(self):
        response = self.client.post(self.url, {"side": "sideways", "version": 1}, **HTMX)
        self.assertContains(response, "Choose one of the three columns", status_code=422)
        self.stance.refresh_from_db()
        self.assertEqual((self.stance.side, self.stance.version), (Side.SUPPORTS, 1))

    def test_a_tampered_version_is_refused_with_a_message(self):
        response = self.client.post(self.url, {"side": "disputes", "version": "one"})
        self.assertContains(response, "without a valid version number", status_code=422)
        self.stance.refresh_from_db()
        self.assertEqual(self.stance.side, Side.SUPPORTS)

    def test_without_htmx_a_stale_move_shows_the_board_as_it_is_now(self):
        self.stance.side = Side.QUALIFIES
        self.stance.save_edit(expected_version=1, fields=["side"])
        response = self.client.post(self.url, {"side": "disputes", "version": 1})
        self.assertContains(response, "Someone else changed this stance", status_code=409)
        self.assertContains(response, f'id="stance-{self.stance.pk}"', status_code=409)
        self.stance.refresh_from_db()
        self.assertEqual(self.stance.side, Side.QUALIFIES)


class EditStanceTests(DeskTestCase):
    def setUp(self):
        self.login()
        self.url = reverse("desk:stance_edit", args=[self.stance.pk])

    def data(self, **fields):
        return {
            "paraphrase": "Pakistan: shelter.",
            "claim_version": 1,
            "note": "Direct.",
            "stance_version": 1,
            **fields,
        }

    def test_over_htmx_the_card_turns_into_a_form(self):
        response = self.client.get(self.url, **HTMX)
        self.assertContains(response, 'name="paraphrase"')
        self.assertContains(response, 'name="note"')
        self.assertNotContains(response, "<html")

    def test_without_htmx_the_form_is_a_page(self):
        response = self.client.get(self.url)
        self.assertContains(response, "<html")
        self.assertContains(response, 'name="paraphrase"')

    def test_it_saves_the_paraphrase_and_the_note(self):
        response = self.client.post(self.url, self.data(note="*Direct* accusation."), **HTMX)
        self.assertContains(response, "<em>Direct</em> accusation.")
        self.stance.refresh_from_db()
        self.claim.refresh_from_db()
        self.assertEqual((self.claim.paraphrase, self.stance.note), ("Pakistan: shelter.", "*Direct* accusation."))

    def test_a_stale_edit_is_refused_showing_their_text_and_keeping_mine(self):
        self.stance.note = "Their note."
        self.stance.save_edit(expected_version=1, fields=["note"])
        response = self.client.post(self.url, self.data(note="My note."), **HTMX)
        self.assertContains(response, "Someone else saved this stance", status_code=409)
        self.assertContains(response, "Their note.", status_code=409)
        self.assertContains(response, "My note.</textarea>", status_code=409)
        self.assertContains(response, 'name="stance_version" value="2"', status_code=409)

    def test_a_stale_edit_changes_neither_record(self):
        self.stance.note = "Their note."
        self.stance.save_edit(expected_version=1, fields=["note"])
        self.client.post(self.url, self.data(paraphrase="My paraphrase."))
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.paraphrase, "the Taliban is providing shelter for TTP members")

    def test_an_empty_paraphrase_is_refused_keeping_the_note(self):
        response = self.client.post(self.url, self.data(paraphrase="", note="Kept note."), **HTMX)
        self.assertContains(response, "This field is required", status_code=422)
        self.assertContains(response, "Kept note.", status_code=422)

    def test_only_the_note_is_editable_when_the_claim_is_approved(self):
        approve(self.claim, self.reviewer)
        response = self.client.get(self.url, **HTMX)
        self.assertNotContains(response, 'name="paraphrase"')
        self.assertContains(response, "its paraphrase cannot be changed here")

    def test_nothing_is_editable_once_both_are_pending(self):
        self.claim.submit(self.analyst)
        self.stance.submit(self.analyst)
        response = self.client.get(self.url, **HTMX)
        self.assertEqual(response.status_code, 403)

    def test_the_card_can_be_fetched_back_to_cancel(self):
        response = self.client.get(reverse("desk:stance_card", args=[self.stance.pk]), **HTMX)
        self.assertContains(response, f'id="stance-{self.stance.pk}"')
        self.assertContains(response, "Move to")


class RemoveStanceTests(DeskTestCase):
    def setUp(self):
        self.login()
        self.url = reverse("desk:stance_remove", args=[self.stance.pk])

    def test_it_takes_a_draft_stance_off_the_board_but_keeps_the_claim(self):
        response = self.client.post(self.url, {"version": 1}, **HTMX)
        self.assertContains(response, '<span id="count-supports" class="side__count" hx-swap-oob="true">0</span>')
        self.assertTrue(type(self.claim).objects.filter(pk=self.claim.pk).exists())
        board = self.client.get(self.board_url())
        self.assertEqual(column(board, Side.SUPPORTS), [])
        self.assertNotContains(board, f'id="stance-{self.stance.pk}"')

    def test_nothing_is_deleted_the_removal_is_in_the_history(self):
        self.client.post(self.url, {"version": 1}, **HTMX)
        self.stance.refresh_from_db()
        self.assertEqual(self.stance.state, ReviewState.REMOVED)
        change = self.stance.history().get()
        self.assertEqual((change.from_state, change.to_state, change.by), ("draft", "removed", self.analyst))

    def test_a_removed_stance_is_no_longer_reachable_from_the_desk(self):
        self.client.post(self.url, {"version": 1}, **HTMX)
        card = self.client.get(reverse("desk:stance_card", args=[self.stance.pk]), **HTMX)
        self.assertContains(card, "removed from the board", status_code=404)
        move = self.client.post(reverse("desk:stance_move", args=[self.stance.pk]), {"side": "disputes", "version": 2})
        self.assertEqual(move.status_code, 404)
        self.stance.refresh_from_db()
        self.assertEqual((self.stance.side, self.stance.state), (Side.SUPPORTS, ReviewState.REMOVED))

    def test_the_removed_claim_can_be_found_and_put_back_with_its_history(self):
        self.client.post(self.url, {"version": 1}, **HTMX)
        found = self.client.get(self.board_url(), {"q": "providing shelter"})
        self.assertEqual(found_claims(found), [self.claim.pk])
        self.client.force_login(self.other_analyst)
        response = self.client.post(
            reverse("desk:stance_add", args=[self.proposition.slug]), {"claim": self.claim.pk, "side": "qualifies"}
        )
        self.assertEqual(response.status_code, 302)
        restored = Stance.objects.get(claim=self.claim, proposition=self.proposition)
        self.assertEqual(restored.pk, self.stance.pk)
        self.assertEqual(
            (restored.state, restored.side, restored.created_by), ("draft", "qualifies", self.other_analyst)
        )
        self.assertEqual([c.to_state for c in restored.history()], ["draft", "removed"])
        self.assertEqual(
            sorted(FieldChange.objects.for_record(restored).values_list("field", flat=True)), ["created_by", "side"]
        )

    def test_the_send_my_drafts_button_forgets_the_removed_stance(self):
        response = self.client.post(self.url, {"version": 1}, **HTMX)
        self.assertContains(response, "Send my 1 draft on this board to review")

    def test_without_htmx_it_returns_to_the_board(self):
        response = self.client.post(self.url, {"version": 1})
        self.assertRedirects(response, self.board_url(), fetch_redirect_response=False)

    def test_a_stance_sent_to_review_is_never_deleted(self):
        self.stance.submit(self.analyst)
        response = self.client.post(self.url, {"version": self.stance.version}, **HTMX)
        self.assertContains(response, "Only draft stances can be removed", status_code=403)
        self.assertTrue(Stance.objects.filter(pk=self.stance.pk).exists())

    def test_a_removal_without_a_version_is_refused_as_malformed(self):
        response = self.client.post(self.url, {"version": "x"}, **HTMX)
        self.assertContains(response, "without a valid version number", status_code=422)
        self.assertTrue(Stance.objects.filter(pk=self.stance.pk).exists())

    def test_a_removal_over_a_newer_version_is_refused(self):
        self.stance.save_edit(expected_version=1, fields=["note"])
        response = self.client.post(self.url, {"version": 1}, **HTMX)
        self.assertEqual(response.status_code, 409)
        self.assertTrue(Stance.objects.filter(pk=self.stance.pk).exists())


class SubmitFromBoardTests(DeskTestCase):
    def setUp(self):
        self.login()

    def test_it_sends_one_stance_to_review(self):
        response = self.client.post(reverse("desk:stance_submit", args=[self.stance.pk]), **HTMX)
        self.stance.refresh_from_db()
        self.assertEqual(self.stance.state, ReviewState.PENDING)
        self.assertContains(response, "Pending review")

    def test_it_sends_the_proposition_to_review(self):
        response = self.client.post(reverse("desk:proposition_submit", args=[self.proposition.slug]), **HTMX)
        self.proposition.refresh_from_db()
        self.assertEqual(self.proposition.state, ReviewState.PENDING)
        self.assertContains(response, "Proposition sent to review.")

    def test_it_sends_all_my_drafts_on_the_board_at_once(self):
        response = self.client.post(reverse("desk:board_submit", args=[self.proposition.slug]), **HTMX)
        self.assertContains(response, "Sent to review: 1 claim, 1 stance, 1 proposition.")
        for record in (self.claim, self.stance, self.proposition):
            record.refresh_from_db()
            self.assertEqual(record.state, ReviewState.PENDING)


class PropositionFormTests(DeskTestCase):
    def setUp(self):
        self.login()

    def test_it_creates_a_draft_proposition_and_opens_its_board(self):
        response = self.client.post(reverse("desk:proposition_new"), {"statement": "Kabul controls the TTP."})
        proposition = Proposition.objects.get(statement="Kabul controls the TTP.")
        self.assertRedirects(response, reverse("desk:board", args=[proposition.slug]))
        self.assertEqual((proposition.state, proposition.created_by), (ReviewState.DRAFT, self.analyst))

    def test_a_duplicate_statement_is_refused(self):
        response = self.client.post(
            reverse("desk:proposition_new"), {"statement": "the afghan taliban shelter the ttp."}
        )
        self.assertContains(response, "already exists", status_code=422)

    def test_it_edits_the_proposition_in_place(self):
        url = reverse("desk:proposition_edit", args=[self.proposition.slug])
        data = {"statement": "The Afghan Taliban harbour the TTP.", "description": "Why.", "version": 1}
        response = self.client.post(url, data, **HTMX)
        self.assertContains(response, 'id="board-header"')
        self.proposition.refresh_from_db()
        self.assertEqual(
            (self.proposition.statement, self.proposition.slug),
            (data["statement"], "the-afghan-taliban-shelter-the-ttp"),
        )

    def test_a_stale_proposition_edit_keeps_my_text(self):
        self.proposition.description = "Their description."
        self.proposition.save_edit(expected_version=1, fields=["description"])
        url = reverse("desk:proposition_edit", args=[self.proposition.slug])
        response = self.client.post(url, {"statement": "Mine.", "description": "", "version": 1}, **HTMX)
        self.assertContains(response, "Their description.", status_code=409)
        self.assertContains(response, 'value="Mine."', status_code=409)

    def test_an_approved_proposition_cannot_be_edited_here(self):
        approve(self.proposition, self.reviewer)
        response = self.client.get(reverse("desk:proposition_edit", args=[self.proposition.slug]))
        self.assertEqual(response.status_code, 403)


class BoardColumnsCacheTests(DeskTestCase):
    """The board's cards are rendered once for every analyst; each still gets forms carrying their own CSRF token."""

    def board_with_csrf(self, user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        response = client.get(self.board_url())
        return client, response

    def move_form_token(self, response) -> str:
        action = re.escape(reverse("desk:stance_move", args=[self.stance.pk]))
        form = re.search(
            rf'action="{action}".*?name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode(), re.S
        )
        return form[1]

    def test_each_analyst_gets_cards_with_their_own_token(self):
        self.board_with_csrf(self.other_analyst)
        client, response = self.board_with_csrf(self.analyst)

        token = self.move_form_token(response)
        moved = client.post(reverse("desk:stance_move", args=[self.stance.pk]), {
            "side": Side.DISPUTES, "version": self.stance.version, "csrfmiddlewaretoken": token,
        })  # fmt: skip

        self.assertEqual(moved.status_code, 302)
        self.stance.refresh_from_db()
        self.assertEqual(self.stance.side, Side.DISPUTES)

    def test_another_analysts_draft_offers_no_controls(self):
        self.board_with_csrf(self.analyst)
        _, response = self.board_with_csrf(self.other_analyst)

        self.assertContains(response, f'id="stance-{self.stance.pk}"')
        self.assertNotContains(response, reverse("desk:stance_move", args=[self.stance.pk]))
        self.assertNotContains(response, reverse("desk:stance_remove", args=[self.stance.pk]))

    def test_cards_change_when_the_csrf_secret_does(self):
        client, first = self.board_with_csrf(self.analyst)
        client.cookies.pop("csrftoken")
        second = client.get(self.board_url())

        self.assertNotEqual(second.cookies["csrftoken"].value, first.cookies["csrftoken"].value)
        moved = client.post(reverse("desk:stance_move", args=[self.stance.pk]), {
            "side": Side.DISPUTES, "version": self.stance.version,
            "csrfmiddlewaretoken": self.move_form_token(second),
        })  # fmt: skip
        self.assertEqual(moved.status_code, 302)

    def test_a_second_visit_reads_neither_the_cards_nor_the_drafts(self):
        self.login()
        self.client.get(self.board_url())

        with self.assertNumQueries(1):  # the proposition (the account and its roles are kept in the cache)
            response = self.client.get(self.board_url())

        self.assertContains(response, f'id="stance-{self.stance.pk}"')
        self.assertContains(response, "Send my 3 drafts on this board to review")

    def test_a_change_by_someone_else_shows_on_the_next_visit(self):
        self.login(self.other_analyst)
        self.client.get(self.board_url())
        self.stance.note = "Checked against the original."
        self.stance.save_edit(expected_version=self.stance.version, fields=["note"], by=self.analyst)

        self.assertContains(self.client.get(self.board_url()), "Checked against the original.")


class KeptBoardPageTests(DeskTestCase):
    """A board's plain page is kept whole per analyst; whatever it shows that no record holds is in its key."""

    def setUp(self):
        self.login()
        self.client.get(self.board_url())

    def test_a_role_given_shows_on_the_next_visit(self):
        self.assertNotContains(self.client.get(self.board_url()), reverse("admin:review_queue"))
        self.analyst.groups.add(Group.objects.get(name=REVIEWERS))

        self.assertContains(self.client.get(self.board_url()), reverse("admin:review_queue"))

    def test_a_message_waiting_is_shown_and_not_kept(self):
        self.client.post(reverse("desk:stance_move", args=[self.stance.pk]), {  # a full page: a message follows
            "side": Side.DISPUTES, "version": self.stance.version,
        })  # fmt: skip

        after_the_move = self.client.get(self.board_url())
        self.assertContains(after_the_move, "Claim moved to “Disputes”.")

        self.assertNotContains(self.client.get(self.board_url()), "Claim moved to")

    def test_a_search_is_read_every_time(self):
        self.client.get(self.board_url(), {"q": "shelter"})
        other = make_claim(self.source, "Pakistan claims that", self.pakistan, self.analyst)

        response = self.client.get(self.board_url(), {"q": "Pakistan claims"})

        self.assertContains(response, f'id="result-{other.pk}"')

    def test_the_csrf_cookie_is_renewed_as_on_every_page_that_uses_it(self):
        response = self.client.get(self.board_url())

        self.assertIn("csrftoken", response.cookies)

    def test_a_boosted_navigation_gets_the_whole_page(self):
        response = self.client.get(self.board_url(), **BOOSTED)

        self.assertContains(response, "<html")
        self.assertContains(response, f'id="stance-{self.stance.pk}"')

    def test_each_language_is_kept_apart(self):
        english = self.board_url()  # reverse() follows the language a request leaves active in the test's thread

        self.assertContains(self.client.get(f"/ur{english}"), '<html lang="ur" dir="rtl">')
        self.assertContains(self.client.get(english), '<html lang="en" dir="ltr">')

    def test_a_kept_page_carries_no_nonce_of_another_request(self):
        response = self.client.get(self.board_url())

        self.assertNotContains(response, "nonce=")
        self.assertNotIn("nonce-", response["Content-Security-Policy"])
