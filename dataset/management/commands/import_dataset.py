from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dataset.archive import DatasetError, open_dataset, read_dataset


class Command(BaseCommand):
    help = (
        "Load a dataset written by export_dataset into this database, which must be newly migrated and empty. "
        "With --force, whatever is there (users, records, sessions) is deleted and replaced. "
        "All or nothing: a damaged file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="dataset file (.jsonl or .jsonl.gz)")
        parser.add_argument(
            "--force", action="store_true", help="replace the data already in the database with the dataset"
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, path: Path, force: bool, database: str, verbosity: int, **options):
        def progress(total):
            return tqdm(total=total, desc="import", unit="record", disable=verbosity == 0 or None)

        try:
            with open_dataset(path, "r") as stream:
                loaded = read_dataset(stream, using=database, force=force, progress=progress)
        except FileNotFoundError:
            raise CommandError(f"There is no file {path}.") from None
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {path}: {error}") from None
        except DatasetError as error:
            raise CommandError(f"Nothing was imported from {path}. {error}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported {sum(loaded.values())} records of {len(loaded)} kinds from {path}.")
        )
