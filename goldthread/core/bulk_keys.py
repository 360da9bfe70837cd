"""Foreign keys checked once per referenced row, not once per inserted row (PostgreSQL).

PostgreSQL checks a foreign key with one query per inserted row, at commit when the key is
deferred (Django makes them so). A bulk insert of 238,000 judgements that all refer to 2,000
indicators runs 238,000 such checks: about a second of database time, more than the insert.

`references_checked_once` does the same check once per referenced row instead: it takes the
lock each per-row check would take (`FOR KEY SHARE`, so nobody can delete or re-key the row
until the transaction ends), makes sure each referenced row exists, and only then turns the
per-row triggers off (`session_replication_role = replica`) for the block that inserts.

It declines, and PostgreSQL keeps checking every row itself, when:
- the database is not PostgreSQL;
- the table has a rule, or any trigger other than a foreign key's (replica mode would skip a
  trigger a council's database administrator added, or a deferrable unique check);
- the table has a foreign key the caller did not name, or one of several columns;
- the role may not set `session_replication_role` (it needs a superuser, or on PostgreSQL 15
  and later `GRANT SET ON PARAMETER session_replication_role TO <role>`);
- a referenced row does not exist (PostgreSQL's own check then reports it at commit).

Only inserts may happen inside the block: an update or delete there would skip the checks of
the rows that refer to the changed ones.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

_RULES_AND_OTHER_TRIGGERS = """
SELECT (SELECT COUNT(*) FROM pg_rewrite WHERE ev_class = %(t)s::regclass)
     + (SELECT COUNT(*) FROM pg_trigger AS g WHERE g.tgrelid = %(t)s::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c
                        WHERE c.oid = g.tgconstraint AND c.contype = 'f'))
"""
_FOREIGN_KEYS = """
SELECT a.attname, c.confrelid::regclass::text, quote_ident(f.attname), cardinality(c.conkey)
FROM pg_constraint AS c
JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
JOIN pg_attribute AS f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
WHERE c.contype = 'f' AND c.conrelid = %(t)s::regclass
"""


@contextmanager
def references_checked_once(
    table: str, references: Mapping[str, Collection[int]]
) -> Iterator[bool]:
    """Insert into `table` inside this block without a foreign key check per row.

    `references` names every foreign key column of the rows to be inserted and the distinct
    ids they use (empty when every row leaves the column NULL). Yields True when the checks
    were done here and the per-row ones are off, False when PostgreSQL keeps its own.
    """
    if connection.vendor != "postgresql":
        yield False
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # The savepoint undoes the SET LOCAL below if the block fails.
        checked = _check_once(cursor, table, references)
        yield checked
        if checked:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _check_once(cursor, table: str, references: Mapping[str, Collection[int]]) -> bool:
    keys = _foreign_keys_if_safe(cursor, table, set(references))
    if keys is None or not _replica_mode(cursor):
        return False
    for column, (target_table, target_column) in keys.items():
        if not _all_locked(cursor, target_table, target_column, references[column]):
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            return False
    return True


def _foreign_keys_if_safe(cursor, table: str, named: set[str]) -> dict[str, tuple] | None:
    """Each foreign key column of `table` -> (referenced table, column), or None when the
    table has anything replica mode would wrongly skip, or a key the caller did not name."""
    cursor.execute(_RULES_AND_OTHER_TRIGGERS, {"t": table})
    if cursor.fetchone()[0]:
        return None
    cursor.execute(_FOREIGN_KEYS, {"t": table})
    keys = {}
    for column, target_table, target_column, width in cursor.fetchall():
        if width != 1 or column not in named:
            return None
        keys[column] = (target_table, target_column)
    return keys


def _replica_mode(cursor) -> bool:
    if not _may_set_replica_role(cursor):
        return False
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False  # not allowed for this role
    return True


def _may_set_replica_role(cursor) -> bool:
    """Asked first, so that a role without the right does not log an error on every write."""
    cursor.execute(
        "SELECT current_setting('is_superuser') = 'on', "
        "current_setting('server_version_num')::int >= 150000"
    )
    superuser, grantable = cursor.fetchone()
    if superuser or not grantable:  # GRANT SET ON PARAMETER came with PostgreSQL 15
        return superuser
    cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    return cursor.fetchone()[0]


def _all_locked(cursor, table: str, column: str, ids: Collection[int]) -> bool:
    """Lock the referenced rows as a per-row check would; True when every one exists."""
    wanted = sorted(set(ids))
    if not wanted:
        return True
    # Both names come from the catalogue already quoted where they need it.
    cursor.execute(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {column} = ANY(%s) "
        "FOR KEY SHARE) AS locked",
        [wanted],
    )
    return cursor.fetchone()[0] == len(wanted)
