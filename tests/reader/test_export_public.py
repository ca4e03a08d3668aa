import json
from io import StringIO

from django.core.management import CommandError, call_command

from tests.reader.builders import ReaderTestCase


class ExportPublicTest(ReaderTestCase):
    def export(self, *args) -> list[dict]:
        out = StringIO()
        call_command("export_public", *args, stdout=out)
        return [json.loads(line) for line in out.getvalue().splitlines()]

    def test_it_writes_one_json_object_per_line_for_every_public_record(self):
        self.build_contradiction()

        records = self.export()

        kinds = [record["type"] for record in records]
        self.assertEqual(kinds, ["source", "actor", "actor", "proposition", "claim", "claim", "stance", "stance"])

    def test_sources_carry_their_text_and_claims_their_selectors(self):
        self.build_contradiction()

        records = self.export("--base-url", "https://claims.example.org/")

        source = next(r for r in records if r["type"] == "source")
        claim = next(r for r in records if r["type"] == "claim")
        start, end = claim["selectors"][0]["start"], claim["selectors"][0]["end"]
        self.assertEqual(source["text"][start:end], claim["quote"])
        self.assertEqual(claim["url"], f"https://claims.example.org/sources/{self.source.pk}/#claim-{claim['id']}")

    def test_it_never_exports_unapproved_records(self):
        proposition = self.build_contradiction()
        self.unpublished_claims(proposition)

        exported = "\n".join(json.dumps(r, ensure_ascii=False) for r in self.export())

        self.assertNotIn("SECRET", exported)
        self.assertNotIn("Hidden", exported)
        self.assertNotIn("Unreviewed source", exported)

    def test_it_writes_to_a_file(self):
        self.build_contradiction()
        path = self.tmp_path("public.jsonl")

        call_command("export_public", "--output", str(path), stdout=StringIO())

        self.assertEqual(len(path.read_text(encoding="utf-8").splitlines()), 8)

    def test_an_unwritable_file_is_reported(self):
        with self.assertRaisesMessage(CommandError, "Cannot write"):
            call_command("export_public", "--output", "/nonexistent/dir/public.jsonl")

    def tmp_path(self, name):
        import tempfile
        from pathlib import Path

        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        return Path(folder.name) / name
