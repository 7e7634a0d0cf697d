"""dbt-duckdb plugin: hands the personal-data salt to DuckDB at run time.

The salt is read from the environment variable PII_SALT and set as the DuckDB
variable ``pii_salt`` on every connection dbt opens, so SQL reads it with
``getvariable('pii_salt')``. Its value is never rendered by Jinja, so it never
appears in compiled SQL, dbt's artifacts (manifest, run results), logs or the
docs site. Enabled in profiles.yml (``plugins:``).
"""

from __future__ import annotations

import os

from dbt.adapters.duckdb.plugins import BasePlugin


def _set_salt(conn) -> None:
    salt = os.environ.get("PII_SALT")
    if salt:
        conn.execute("set variable pii_salt = ?", [salt])


class Plugin(BasePlugin):
    """DuckDB variables belong to one connection: set it on the connection and
    on every cursor dbt takes from it."""

    def configure_connection(self, conn) -> None:
        _set_salt(conn)

    def configure_cursor(self, cursor) -> None:
        _set_salt(cursor)
