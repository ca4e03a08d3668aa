from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dataset.archive import DatasetError, open_dataset, write_dataset


class Command(BaseCommand):
    help = (
        "Write the whole database (users and their roles, every record, review states and history) to PATH "
        "as JSON Lines, gzip-compressed if PATH ends in .gz. Restore it with import_dataset."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="file to write (replaced if it exists)")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, path: Path, database: str, verbosity: int, **options):
        partial = path.with_name(f".partial-{path.name}")

        def progress(total):
            return tqdm(total=total, desc="export", unit="record", disable=verbosity == 0 or None)

        try:
            with open_dataset(partial, "w") as stream:
                written = write_dataset(stream, using=database, progress=progress)
            # Only a complete file takes the name: a failed export never leaves a half-written dataset.
            partial.replace(path)
        except (OSError, DatasetError) as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {path}: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {sum(written.values())} records of {len(written)} kinds to {path}.")
        )
