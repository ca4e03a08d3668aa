"""The whole database as one JSON Lines file, and back: for backups, moves and restores.

Line 1 is a header (format, version, the migrations the data was written
under, the number of records per model); then one record per line in Django's
serialization layout (``{"model": ..., "pk": ..., "fields": {...}}``); the last
line is a trailer with the total, so that a cut-off file is refused.

What is written: users (with their groups, that is their roles), the groups,
every model of the project's own apps (found at run time, so models added
later are included), and the admin's change log. Primary keys are kept, so
anchors, links and history keep pointing at the right rows. Content types,
permissions and groups are written by natural key, because their primary keys
differ from one database to another. Values are written at full precision
(microseconds included) and loaded raw: no save() method or signal rewrites
them on the way in.
"""

import datetime
import decimal
import gzip
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.python import Serializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from reader.caching import bump_after_bulk_writes

FORMAT = "claim-tracker-dataset"
VERSION = 1
CHUNK_SIZE = 1000

# Transient state, not data: failed-login counters expire on their own.
NOT_EXPORTED = {"accounts.loginthrottle"}
# Rows these point at are found by natural key, not primary key.
BY_NATURAL_KEY = (ContentType, Permission, Group)


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class DatasetError(Exception):
    """The dataset cannot be written or read; the message says why and what to do."""


def project_apps() -> list:
    """The apps that live in this repository (not Django's, not third parties')."""
    base = Path(settings.BASE_DIR).resolve()
    return [config for config in apps.get_app_configs() if Path(config.path).resolve().parent == base]


def exported_models() -> list[type[models.Model]]:
    """Every model whose rows the dataset carries, in the order they are written."""
    found = [Group, apps.get_model(settings.AUTH_USER_MODEL)]
    for config in project_apps():
        found += [
            model
            for model in config.get_models()
            if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in NOT_EXPORTED
        ]
    if apps.is_installed("django.contrib.admin"):
        found.append(apps.get_model("admin", "LogEntry"))
    return found


def replaced_models() -> list[type[models.Model]]:
    """What an import with ``force`` empties first. Groups stay: they are matched by name."""
    return [model for model in exported_models() if model is not Group]


def applied_migrations(using: str) -> dict[str, list[str]]:
    applied = sorted(MigrationRecorder(connections[using]).applied_migrations())
    by_app: dict[str, list[str]] = {}
    for app_label, name in applied:
        by_app.setdefault(app_label, []).append(name)
    return by_app


def row_counts(using: str) -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.using(using).count() for model in exported_models()}


def _json_default(value):
    # Full precision: DjangoJSONEncoder would cut datetimes to milliseconds.
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"Cannot write {type(value).__name__} values to a dataset.")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, default=_json_default, separators=(",", ":")) + "\n"


def open_dataset(path: str | Path, mode: str) -> IO[str]:
    """Open a dataset file for text; a name ending in .gz is gzip-compressed."""
    if str(path).endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


class _NaturalKeyTargets:
    """Turns primary keys of content types, permissions and groups into natural keys."""

    def __init__(self, using: str):
        self.permissions = {
            permission.pk: permission.natural_key()
            for permission in Permission.objects.using(using).select_related("content_type")
        }
        self.groups = {pk: (name,) for pk, name in Group.objects.using(using).values_list("pk", "name")}
        self.content_types = {
            content_type.pk: content_type.natural_key() for content_type in ContentType.objects.using(using)
        }

    def natural_key(self, model, pk):
        if pk is None:
            return None
        table = {ContentType: self.content_types, Permission: self.permissions, Group: self.groups}[model]
        return list(table[pk])

    def convert(self, model: type[models.Model], record: dict) -> dict:
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in BY_NATURAL_KEY:
                record["fields"][field.name] = self.natural_key(field.related_model, record["fields"][field.name])
        for field in model._meta.many_to_many:
            if field.related_model in BY_NATURAL_KEY and field.name in record["fields"]:
                record["fields"][field.name] = [
                    self.natural_key(field.related_model, pk) for pk in record["fields"][field.name]
                ]
        return record


def _records(model: type[models.Model], using: str, targets: _NaturalKeyTargets) -> Iterator[dict]:
    queryset = model._base_manager.using(using).order_by("pk")
    many_to_many = [field.name for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created]
    if many_to_many:
        queryset = queryset.prefetch_related(*many_to_many)
    serializer = Serializer()
    chunk: list = []
    for row in queryset.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield from _serialize(serializer, model, chunk, targets)
            chunk = []
    yield from _serialize(serializer, model, chunk, targets)


def _serialize(serializer, model, rows, targets) -> Iterator[dict]:
    if not rows:
        return
    for record in serializer.serialize(rows, use_natural_primary_keys=model is Group):
        yield targets.convert(model, record)


@contextmanager
def _snapshot(using: str):
    """A transaction in which every read sees the same moment of the database.

    On SQLite the project opens IMMEDIATE transactions, which would hold off all
    writers for the whole export; a deferred one reads a WAL snapshot instead.
    """
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        mode, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
        try:
            with transaction.atomic(using=using):
                yield
        finally:
            connection.transaction_mode = mode
        return
    outermost = not connection.in_atomic_block  # inside one, the caller's transaction is the snapshot
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def write_dataset(stream: IO[str], *, using: str = DEFAULT_DB_ALIAS, progress=None) -> dict[str, int]:
    """Write the whole database to ``stream``; returns the number of records per model.

    ``progress``, if given, is called with the number of records to write and
    returns a bar with ``update()`` and ``close()`` (``tqdm`` fits).
    """
    with _snapshot(using):
        counts = row_counts(using)
        stream.write(
            _dumps(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "exported_at": datetime.datetime.now(datetime.UTC),
                    "migrations": applied_migrations(using),
                    "counts": counts,
                }
            )
        )
        bar = progress(sum(counts.values())) if progress else _NoProgress()
        targets, written = _NaturalKeyTargets(using), Counter()
        for model in exported_models():
            for record in _records(model, using, targets):
                stream.write(_dumps(record))
                written[model._meta.label_lower] += 1
                bar.update()
        stream.write(_dumps({"end": True, "records": sum(written.values())}))
        bar.close()
    return dict(written)


def _lines(stream: IO[str]) -> Iterator[tuple[int, dict]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetError(f"Line {number} is not valid JSON ({error.msg}): the file is damaged.") from None


def read_header(lines: Iterator[tuple[int, dict]], using: str) -> dict:
    try:
        _, header = next(lines)
    except StopIteration:
        raise DatasetError("The file is empty: it is not a dataset written by export_dataset.") from None
    except UnicodeDecodeError:
        raise DatasetError("The file is not UTF-8 text: it is not a dataset written by export_dataset.") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise DatasetError("The file does not start with a dataset header: it was not written by export_dataset.")
    if header.get("version") != VERSION:
        raise DatasetError(f"The dataset is format version {header.get('version')}; this version reads {VERSION}.")
    ours = applied_migrations(using)
    for app_label, names in sorted(header["migrations"].items()):
        missing, extra = set(names) - set(ours.get(app_label, [])), set(ours.get(app_label, [])) - set(names)
        if missing or extra:
            raise DatasetError(
                f"The dataset was written under different migrations of {app_label!r} "
                f"({'not applied here: ' + ', '.join(sorted(missing)) if missing else 'applied here only: ' + ', '.join(sorted(extra))}). "
                f"Migrate this database to exactly the dataset's migrations (manage.py migrate {app_label} "
                f"{names[-1]}), import, then migrate forward."
            )
    return header


def existing_data(using: str) -> dict[str, int]:
    """Rows already present in what an import would write (groups aside: migrations create those)."""
    counts = {model._meta.label_lower: model._base_manager.using(using).count() for model in replaced_models()}
    return {label: count for label, count in counts.items() if count}


def _empty(using: str) -> None:
    connection = connections[using]
    tables = []
    for model in replaced_models():
        tables.append(model._meta.db_table)
        tables += [
            field.remote_field.through._meta.db_table
            for field in model._meta.many_to_many
            if field.remote_field.through._meta.auto_created
        ]
    if apps.is_installed("django.contrib.sessions"):
        # Sessions point at the replaced users' ids; everybody logs in again.
        tables.append(apps.get_model("sessions", "Session")._meta.db_table)
    # DELETE rather than TRUNCATE: foreign keys are checked at commit, so the order
    # does not matter, and it works inside a transaction that has written already.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from models


def read_dataset(
    stream: IO[str], *, using: str = DEFAULT_DB_ALIAS, force: bool = False, progress=None
) -> dict[str, int]:
    """Load a dataset written by write_dataset into the database; returns the records loaded per model.

    ``progress`` works as for write_dataset.
    Refuses (DatasetError) a database that already holds data unless ``force``,
    which replaces that data. Everything happens in one transaction: a
    damaged or refused file leaves the database as it was.
    """
    lines = _lines(stream)
    header = read_header(lines, using)
    if (present := existing_data(using)) and not force:
        summary = ", ".join(f"{count} {label}" for label, count in sorted(present.items()))
        raise DatasetError(
            f"The database is not empty ({summary}). Import into a newly migrated database, "
            "or pass --force to delete what is there and replace it with the dataset."
        )
    bar = progress(sum(header["counts"].values())) if progress else _NoProgress()
    known = {model._meta.label_lower: model for model in exported_models()}
    loaded, ended = Counter(), None
    connection = connections[using]
    with transaction.atomic(using=using):
        if force:
            _empty(using)
        for number, record in lines:
            if ended is not None:
                raise DatasetError(f"Line {number} follows the end of the dataset: the file is damaged.")
            if record.get("end"):
                ended = record
                continue
            if record.get("model") not in known:
                raise DatasetError(f"Line {number} holds a {record.get('model')!r}, which this project does not have.")
            _load(record, number, using)
            loaded[record["model"]] += 1
            bar.update()
        bar.close()
        if ended is None or ended.get("records") != sum(loaded.values()):
            raise DatasetError(
                f"The dataset is incomplete: {sum(loaded.values())} records read, "
                f"{ended.get('records') if ended else 'no end line'} expected."
            )
        if dict(loaded) != {label: count for label, count in header["counts"].items() if count}:
            raise DatasetError("The records in the file do not match the counts in its header: the file is damaged.")
        tables = [known[label]._meta.db_table for label in loaded]
        try:
            connection.check_constraints(table_names=tables)
        except Exception as error:
            raise DatasetError(f"The dataset refers to rows it does not contain: {error}") from None
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [known[label] for label in loaded]):
                cursor.execute(statement)
        # Rows loaded raw did no cache work: every cached page and fragment is forgotten once, on commit.
        transaction.on_commit(bump_after_bulk_writes, using=using)
    return dict(loaded)


def _load(record: dict, number: int, using: str) -> None:
    try:
        for deserialized in serializers.deserialize("python", [record], using=using):
            deserialized.save(using=using)
    except Exception as error:
        raise DatasetError(
            f"Line {number} ({record.get('model')} {record.get('pk')}) cannot be loaded: {error}"
        ) from None
