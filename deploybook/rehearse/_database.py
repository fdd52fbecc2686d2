"""The database a rehearsal migrates and serves from: the caller's, or one made for it.

With db=sqlite a fresh file in the rehearsal's folder; with PostgreSQL a throwaway cluster
from the machine's own PostgreSQL (see deploybook.testing.postgres), removed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploybook.errors import RehearsalError
from deploybook.testing.postgres import PostgresError, postgres_server

__all__ = ["rehearsal_database"]


@contextmanager
def rehearsal_database(db: str, workdir: Path, given: str | None) -> Iterator[str]:
    """Yield a DATABASE_URL for the recipe's `db` choice."""
    if given:
        yield given
    elif db == "sqlite":
        yield f"sqlite:///{workdir / 'rehearsal.sqlite3'}"
    else:
        try:
            with postgres_server() as server:
                yield server.create_database("rehearsal")
        except PostgresError as error:
            raise RehearsalError(
                f"cannot start a PostgreSQL server to rehearse with: {error}",
                hint="install PostgreSQL (its server programs), or give a database to rehearse "
                "against with DEPLOYBOOK_REHEARSE_DATABASE_URL=postgresql://...",
            ) from error
