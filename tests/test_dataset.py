"""export_dataset and import_dataset: the whole database round-trips with nothing lost."""

import datetime
import gzip
import io
import json
import tempfile
from pathlib import Path

from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import TransactionTestCase

from claims.models import Actor, Claim, FieldChange, Proposition, ReviewState, Revision, Side, Stance, StateChange
from claims.roles import ANALYSTS, REVIEWERS, ensure_roles
from dataset.archive import exported_models, project_apps, write_dataset
from sources.models import Capture, QuoteCheck, Source
from tests.base import BaseTestCase, approve, make_claim, make_source, make_user

# What the dataset deliberately leaves out: rebuilt by migrate, or transient.
NOT_CARRIED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "accounts.loginthrottle",
    "django_tasks_database.dbtaskresult",  # the worker's queue; webhook deliveries are carried (webhooks.Delivery)
}

PERSIAN_TEXT = (
    "ذبیح‌الله مجاهد گفت که امارت اسلامی مسئول امنیت داخلی پاکستان نیست.\n\nاو افزود: «ما به هیچ گروهی اجازه نمی‌دهیم.»"
)


def natural(value):
    """Content types, permissions and groups compared by what they are, not by their ids in one database."""
    if isinstance(value, ContentType):
        return ("contenttype", value.app_label, value.model)
    if isinstance(value, Permission):
        return ("permission", value.content_type.app_label, value.codename)
    if isinstance(value, Group):
        return ("group", value.name)
    return value


def snapshot() -> dict[str, list[dict]]:
    """Every row of every model the dataset carries, field by field, m2m included."""
    tables = {}
    for model in apps.get_models():
        if model._meta.label_lower in NOT_CARRIED or model._meta.proxy or not model._meta.managed:
            continue
        rows = []
        for row in model._base_manager.order_by("pk"):
            values = {}
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in (ContentType, Permission, Group):
                    values[field.name] = natural(getattr(row, field.name))
                else:
                    values[field.attname] = field.value_from_object(row)
            for field in model._meta.many_to_many:
                values[field.name] = sorted((natural(related) for related in getattr(row, field.name).all()), key=repr)
            if model is Group:
                values.pop("id")  # groups are matched by name
            rows.append(values)
        tables[model._meta.label_lower] = sorted(rows, key=repr) if model is Group else rows
    return tables


def build_everything() -> None:
    """Records in every review state, with history, roles, revisions and admin log entries."""
    ensure_roles()
    analyst = make_user("alice", ANALYSTS, is_staff=True)
    reviewer = make_user("rita", REVIEWERS, is_staff=True, first_name="Rita", email="rita@example.org")
    admin = make_user("ada", is_staff=True, is_superuser=True)
    make_user("rex", REVIEWERS, is_active=False)  # a former reviewer
    helper = make_user("hana")
    helper.user_permissions.add(Permission.objects.get(codename="view_claim"))
    nobody = User.objects.create_user("no-password")  # unusable password
    nobody.last_login = datetime.datetime(2026, 3, 1, 12, 30, 45, 123456, tzinfo=datetime.UTC)
    nobody.save()

    english = make_source(
        created_by=analyst, url="https://example.org/report", outlet="Example", authors="A. Writer, B. Writer"
    )
    persian = make_source(
        text=PERSIAN_TEXT,
        title="گزارش",
        language="fa",
        published_on=datetime.date(2022, 12, 1),
        published_precision="month",
    )
    taliban = Actor.objects.create(
        state="approved", name="Afghan Taliban", kind="government", description="The *de facto* government."
    )
    mujahid = Actor.objects.create(
        state="approved", name="Zabihullah Mujahid", affiliation=taliban, aliases="Mujahid\nذبیح‌الله مجاهد"
    )
    pakistan = Actor.objects.create(
        state="approved", name="Government of Pakistan", kind="government", aliases="Islamabad"
    )

    contested = approve(
        Proposition.objects.create(statement="The Taliban shelter the TTP.", created_by=analyst), reviewer
    )
    shelter = approve(
        make_claim(english, "the Taliban is providing shelter for TTP members", pakistan, analyst), reviewer
    )
    denial = approve(
        make_claim(
            persian,
            "مسئول امنیت داخلی پاکستان نیست",
            mujahid,
            analyst,
            reported_by=taliban,
            asserted_on=datetime.date(2022, 12, 20),
            asserted_precision="day",
        ),
        reviewer,
    )
    for claim, side in ((shelter, Side.SUPPORTS), (denial, Side.DISPUTES)):
        approve(
            Stance.objects.create(
                claim=claim, proposition=contested, side=side, note="See **this**.", created_by=analyst
            ),
            reviewer,
        )
    pending = Proposition.objects.create(statement="Mediation works.", created_by=analyst)
    pending.submit(analyst)
    rejected = Proposition.objects.create(statement="A badly worded statement.", created_by=analyst)
    rejected.submit(analyst)
    rejected.reject(reviewer, reason="Too vague.")
    Proposition.objects.create(statement="A draft.", created_by=analyst, description="Not yet *submitted*.")
    draft = make_claim(english, "they do not provide support", taliban, analyst)  # a draft claim
    # A stance taken off its board: kept in the removed state, with its history.
    Stance.objects.create(claim=draft, proposition=pending, side=Side.DISPUTES, created_by=analyst).remove(analyst)

    revision = Revision.objects.create(
        content_type=ContentType.objects.get_for_model(Claim),
        object_id=shelter.pk,
        base_version=Claim.objects.get(pk=shelter.pk).version,
        changes={"paraphrase": "Pakistan says the Taliban shelter the TTP."},
        previous={"paraphrase": shelter.paraphrase},
        note="Clearer.",
        created_by=analyst,
    )
    approve(revision, reviewer)
    # A capture with its archived page, and a re-check of it that found the quote moved.
    warc = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n\r\n" + bytes(range(256)))
    captured = Capture.objects.create(
        source=english,
        requested_url="https://example.org/report?utm_source=x",
        final_url="https://example.org/report",
        retrieved_at=datetime.datetime(2024, 3, 12, 9, 30, 15, 123456, tzinfo=datetime.UTC),
        status=200,
        content_type="text/html",
        encoding="utf-8",
        body_sha256="a" * 64,
        body_size=256,
        warc=warc,
        text=english.text,
        created_by=analyst,
    )
    recheck = Capture.objects.create(
        source=english,
        purpose=Capture.Purpose.RECHECK,
        requested_url=captured.final_url,
        retrieved_at=captured.retrieved_at + datetime.timedelta(days=7),
        status=200,
        body_sha256="b" * 64,
        text="Moved.\n\n" + english.text,
        outcome=Capture.Outcome.CHANGED,
    )
    QuoteCheck.objects.create(
        capture=recheck, claim=shelter, outcome=QuoteCheck.Outcome.MOVED, found_start=8, found_end=8 + 10
    )
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Actor),
        object_id=str(taliban.pk),
        object_repr=str(taliban),
        action_flag=ADDITION,
        change_message='[{"added": {}}]',
    )


class RoundTripTests(TransactionTestCase):
    def setUp(self):
        build_everything()
        self.folder = Path(tempfile.mkdtemp())

    def export_flush_import(self, name: str) -> None:
        path = self.folder / name
        call_command("export_dataset", str(path), verbosity=0, stdout=io.StringIO())
        # An empty database as after migrate: content types and permissions come back
        # (with new ids), groups and everything else are gone.
        call_command("flush", interactive=False, verbosity=0)
        self.assertFalse(User.objects.exists())
        call_command("import_dataset", str(path), verbosity=0, stdout=io.StringIO())

    def assert_same(self, before: dict, after: dict) -> None:
        self.assertEqual(before.keys(), after.keys())
        for label in before:
            self.assertEqual(before[label], after[label], f"{label} differs after the round trip")

    def test_everything_round_trips_into_an_empty_database(self):
        before = snapshot()

        self.export_flush_import("everything.jsonl")

        self.assert_same(before, snapshot())

    def test_a_compressed_dataset_round_trips_too(self):
        before = snapshot()

        self.export_flush_import("everything.jsonl.gz")

        self.assert_same(before, snapshot())

    def test_the_data_being_compared_covers_what_matters(self):
        # Guard against a vacuous comparison: the fixture really has all of this.
        before = snapshot()

        every_state = set(ReviewState.values)
        states = {model: {row["state"] for row in before[f"claims.{model}"]} for model in ("proposition", "stance")}
        self.assertEqual(states["proposition"], every_state - {ReviewState.REMOVED})  # only stances are removed
        self.assertIn(ReviewState.REMOVED, states["stance"])
        self.assertGreater(len(before["claims.statechange"]), 10)
        self.assertTrue(before["claims.fieldchange"])
        self.assertEqual(len(before["sources.capture"]), 2)
        self.assertEqual(gzip.decompress(before["sources.capture"][0]["warc"])[-256:], bytes(range(256)))
        self.assertEqual(len(before["sources.quotecheck"]), 1)
        self.assertTrue(before["admin.logentry"])
        self.assertIn(("group", REVIEWERS), [group for user in before["auth.user"] for group in user["groups"]])

    def test_roles_and_passwords_survive(self):
        self.export_flush_import("roles.jsonl")

        rita = User.objects.get(username="rita")
        self.assertTrue(rita.check_password("correct horse battery staple"))
        self.assertTrue(rita.has_perm("claims.review_claim"))
        self.assertFalse(User.objects.get(username="no-password").has_usable_password())

    def test_history_still_points_at_its_records(self):
        claim = Claim.objects.get(quote="the Taliban is providing shelter for TTP members")
        history = list(claim.history().values_list("from_state", "to_state", "by__username"))

        self.export_flush_import("history.jsonl")

        self.assertEqual(
            list(Claim.objects.get(pk=claim.pk).history().values_list("from_state", "to_state", "by__username")),
            history,
        )

    def test_new_records_after_an_import_get_new_ids(self):
        highest = Actor.objects.order_by("-pk").values_list("pk", flat=True).first()

        self.export_flush_import("ids.jsonl")
        created = Actor.objects.create(state="approved", name="A newcomer")

        self.assertGreater(created.pk, highest)

    def test_public_pages_read_the_same_after_an_import(self):
        proposition = Proposition.objects.get(statement="The Taliban shelter the TTP.")
        before = self.client.get(proposition.get_absolute_url())

        self.export_flush_import("pages.jsonl")

        after = self.client.get(proposition.get_absolute_url())
        self.assertEqual(after.status_code, 200)
        self.assertContains(after, "مسئول امنیت داخلی پاکستان نیست")
        self.assertEqual(before.status_code, after.status_code)


class RefusalTests(BaseTestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.path = self.folder / "dataset.jsonl"
        call_command("export_dataset", str(self.path), verbosity=0, stdout=io.StringIO())

    def import_dataset(self, path=None, **options):
        call_command("import_dataset", str(path or self.path), verbosity=0, stdout=io.StringIO(), **options)

    def rewrite(self, change) -> Path:
        lines = self.path.read_text(encoding="utf-8").splitlines(keepends=True)
        damaged = self.folder / "damaged.jsonl"
        damaged.write_text("".join(change(lines)), encoding="utf-8")
        return damaged

    def test_it_refuses_a_database_that_holds_data(self):
        with self.assertRaisesMessage(
            CommandError, "The database is not empty (6 auth.user, 2 claims.actor, 1 sources.source)"
        ):
            self.import_dataset()

    def test_the_refusal_says_how_to_go_ahead(self):
        with self.assertRaisesMessage(CommandError, "pass --force to delete what is there and replace it"):
            self.import_dataset()

    def test_a_refused_import_changes_nothing(self):
        Actor.objects.create(state="approved", name="Added after the export")

        with self.assertRaises(CommandError):
            self.import_dataset()

        self.assertTrue(Actor.objects.filter(name="Added after the export").exists())

    def test_force_replaces_what_is_there_with_the_dataset(self):
        before = snapshot()
        Actor.objects.create(state="approved", name="Added after the export")
        Actor.objects.filter(pk=self.pakistan.pk).update(name="Renamed after the export")
        make_user("mallory")

        self.import_dataset(force=True)

        self.assertEqual(snapshot(), before)

    def test_a_cut_off_file_changes_nothing_even_with_force(self):
        damaged = self.rewrite(lambda lines: lines[:-2])
        Actor.objects.create(state="approved", name="Added after the export")

        with self.assertRaisesMessage(CommandError, "The dataset is incomplete"):
            self.import_dataset(damaged, force=True)

        self.assertTrue(Actor.objects.filter(name="Added after the export").exists())
        self.assertEqual(User.objects.count(), 6)

    def test_a_damaged_line_is_named(self):
        damaged = self.rewrite(lambda lines: [*lines[:3], "{not json\n", *lines[4:]])

        with self.assertRaisesMessage(CommandError, "Line 4 is not valid JSON"):
            self.import_dataset(damaged, force=True)

    def test_a_record_of_an_unknown_model_is_refused(self):
        def rename(lines):
            record = json.loads(lines[3])
            record["model"] = "claims.nosuchmodel"
            return [*lines[:3], json.dumps(record) + "\n", *lines[4:]]

        with self.assertRaisesMessage(CommandError, "Line 4 holds a 'claims.nosuchmodel'"):
            self.import_dataset(self.rewrite(rename), force=True)

    def test_a_dataset_written_under_other_migrations_is_refused(self):
        def add_migration(lines):
            header = json.loads(lines[0])
            header["migrations"]["claims"].append("9999_from_the_future")
            return [json.dumps(header) + "\n", *lines[1:]]

        with self.assertRaisesMessage(CommandError, "not applied here: 9999_from_the_future"):
            self.import_dataset(self.rewrite(add_migration), force=True)

    def test_a_file_that_is_not_a_dataset_is_refused(self):
        other = self.folder / "other.jsonl"
        other.write_text('{"hello": "world"}\n', encoding="utf-8")

        with self.assertRaisesMessage(CommandError, "it was not written by export_dataset"):
            self.import_dataset(other, force=True)

    def test_a_binary_file_is_refused(self):
        other = self.folder / "other.jsonl"
        other.write_bytes(b"\xff\xfe\x00garbage")

        with self.assertRaisesMessage(CommandError, "Nothing was imported"):
            self.import_dataset(other, force=True)

    def test_a_missing_file_is_named(self):
        with self.assertRaisesMessage(CommandError, "There is no file"):
            self.import_dataset(self.folder / "missing.jsonl")

    def test_a_file_that_claims_to_be_compressed_but_is_not_is_refused(self):
        fake = self.folder / "fake.jsonl.gz"
        fake.write_bytes(self.path.read_bytes())

        with self.assertRaisesMessage(CommandError, "Could not read"):
            self.import_dataset(fake, force=True)


class ExportTests(BaseTestCase):
    def test_an_export_that_cannot_be_written_leaves_no_file(self):
        target = Path(tempfile.mkdtemp()) / "missing-folder" / "dataset.jsonl"

        with self.assertRaisesMessage(CommandError, "Could not write"):
            call_command("export_dataset", str(target), verbosity=0)

        self.assertFalse(target.exists())

    def test_a_gz_name_gives_a_gzip_file(self):
        target = Path(tempfile.mkdtemp()) / "dataset.jsonl.gz"

        call_command("export_dataset", str(target), verbosity=0, stdout=io.StringIO())

        with gzip.open(target, "rt", encoding="utf-8") as stream:
            self.assertEqual(json.loads(stream.readline())["format"], "claim-tracker-dataset")

    def test_times_keep_their_microseconds(self):
        moment = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
        StateChange.objects.update(at=moment)
        approve(Proposition.objects.create(statement="Timed.", created_by=self.analyst), self.reviewer)
        StateChange.objects.update(at=moment)
        stream = io.StringIO()

        write_dataset(stream)

        records = [json.loads(line) for line in stream.getvalue().splitlines()]
        times = {record["fields"]["at"] for record in records if record.get("model") == "claims.statechange"}
        self.assertEqual(times, {"2026-01-02T03:04:05.678901+00:00"})

    def test_progress_counts_every_record(self):
        updates = []

        class Bar:
            def __init__(self, total):
                updates.append(("total", total))

            def update(self, n=1):
                updates.append(("update", n))

            def close(self):
                updates.append(("close", None))

        write_dataset(io.StringIO(), progress=Bar)

        total = updates[0][1]
        self.assertGreater(total, 10)
        self.assertEqual(sum(n for kind, n in updates if kind == "update"), total)
        self.assertEqual(updates[-1], ("close", None))

    def test_every_model_of_every_project_app_is_exported(self):
        # Models added to any app of the project later are carried without anyone listing them.
        project_models = {model for config in project_apps() for model in config.get_models()}

        missing = {model._meta.label_lower for model in project_models - set(exported_models())}

        self.assertEqual(missing, {"accounts.loginthrottle"})
        self.assertTrue(
            {Source, Claim, Stance, Proposition, Actor, StateChange, FieldChange, Revision} <= project_models
        )

    def test_nothing_is_left_out_but_what_migrate_rebuilds_or_expires(self):
        carried = {model._meta.label_lower for model in exported_models()}
        every = {
            model._meta.label_lower for model in apps.get_models() if model._meta.managed and not model._meta.proxy
        }

        self.assertEqual(every - carried, NOT_CARRIED)
