"""What every subcommand shares: settings loading, one-line errors, a transaction, progress bars."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from stations import logs
from stations.errors import StationsError
from stations.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def load_settings() -> Settings:
    """Settings from the environment; a bad value is a usage error naming the variable."""
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(f"STATIONS_{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        raise click.UsageError(f"bad configuration: {problems}") from exc
    logs.configure(level=settings.log_level, fmt=settings.log_format)
    return settings


def friendly(func: F) -> F:
    """Turn domain and connection errors into one clear line on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StationsError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(1)
        except OperationalError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            click.echo(f"error: cannot reach the database: {reason}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session in one transaction on the configured (or embedded) database, closed afterwards."""
    from stations.db.engine import database_url, make_engine, make_session_factory

    engine = make_engine(database_url(load_settings()), pool_size=1)
    try:
        with make_session_factory(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()


def in_transaction(work: Callable[[Session], T]) -> T:
    """Run `work` in one committed transaction on the configured database and return its result."""
    with session_scope() as session:
        return work(session)


def progress_bar(total: int, label: str) -> Callable[[int], None]:
    """A tqdm bar on stderr; returns the function that advances it by n."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=label, unit="rows", file=sys.stderr, disable=None)

    def advance(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return advance
