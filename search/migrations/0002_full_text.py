"""The full-text structures, which differ by database.

SQLite: an FTS5 table using search_searchentry as external content, kept in
step by triggers (porter stemming over Unicode words, accents folded).
PostgreSQL: a generated, weighted tsvector column with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_searchentry_fts USING fts5(
        title, body, context,
        content='search_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER search_searchentry_after_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(rowid, title, body, context)
        VALUES (new.id, new.title, new.body, new.context);
    END
    """,
    """
    CREATE TRIGGER search_searchentry_after_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, body, context)
        VALUES ('delete', old.id, old.title, old.body, old.context);
    END
    """,
    """
    CREATE TRIGGER search_searchentry_after_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, body, context)
        VALUES ('delete', old.id, old.title, old.body, old.context);
        INSERT INTO search_searchentry_fts(rowid, title, body, context)
        VALUES (new.id, new.title, new.body, new.context);
    END
    """,
    "INSERT INTO search_searchentry_fts(search_searchentry_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_searchentry_after_update",
    "DROP TRIGGER IF EXISTS search_searchentry_after_delete",
    "DROP TRIGGER IF EXISTS search_searchentry_after_insert",
    "DROP TABLE IF EXISTS search_searchentry_fts",
]

POSTGRESQL_FORWARD = [
    """
    ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, body), 'B')
        || setweight(to_tsvector('english'::regconfig, context), 'C')
    ) STORED
    """,
    # search.query: document @@ query.
    "CREATE INDEX search_searchentry_document_idx ON search_searchentry USING gin (document)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchentry_document_idx",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
            elidable=False,
        ),
    ]
