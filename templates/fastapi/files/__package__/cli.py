"""Administration commands: `python -m <package>.cli grant-role EMAIL ROLE`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .db import Database, create_db_engine
from .repositories.users import SqlUserRepository
from .settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="defaults to DATABASE_URL")
    commands = parser.add_subparsers(dest="command", required=True)
    grant = commands.add_parser("grant-role", help="give an existing account a role")
    grant.add_argument("email")
    grant.add_argument("role")
    args = parser.parse_args(argv)

    database = Database(create_db_engine(args.database_url or Settings().database_url))
    try:
        with database.transaction() as session:
            users = SqlUserRepository(session)
            user = users.get_by_email(args.email.strip().lower())
            if user is None:
                sys.stderr.write(f"no account with email {args.email}\n")
                return 1
            if not users.grant_role(user, args.role):
                sys.stderr.write(f"no role named {args.role}\n")
                return 1
    finally:
        database.engine.dispose()
    sys.stdout.write(f"granted {args.role} to {user.email}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
