"""dbt-duckdb plugin: the change time of a raw file, for telling files apart.

An incremental run reads only the raw files added since the last run, if
the files that run read are unchanged. Size and modification time alone are
fooled by a file corrected in place with both kept (``cp -p``, ``rsync -t``,
``touch -r``). The change time (``st_ctime_ns``) moves on every write and
no ordinary tool sets it back, so it is recorded beside them. Reading it is
one ``stat`` per file. Enabled in profiles.yml (``plugins:``) as the SQL
function ``uw_file_changed_at(path)``. It is null for a path this process
cannot stat (a remote file); a null counts as changed, so such files are
compared row by row.
"""

from __future__ import annotations

import os

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin

FUNCTION = "uw_file_changed_at"


def changed_at(path: str | None) -> int | None:
    try:
        return os.stat(path).st_ctime_ns if path else None
    except OSError:
        return None


def _register(conn) -> None:
    try:
        conn.create_function(
            FUNCTION, changed_at, [duckdb.sqltype("varchar")], duckdb.sqltype("bigint"), null_handling="special"
        )
    except (duckdb.NotImplementedException, duckdb.CatalogException):
        pass  # already registered on this connection


class Plugin(BasePlugin):
    """A function belongs to one connection: register it on the connection and
    on every cursor dbt takes from it."""

    def configure_connection(self, conn) -> None:
        _register(conn)

    def configure_cursor(self, cursor) -> None:
        _register(cursor)
