"""`manage.py create_staff EMAIL`: a staff account for the admin (`make staff`)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.models import User as StaffUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction


def read_password() -> str:
    """Twice from the terminal (not echoed), or one line from standard input when piped, so it
    never appears in the shell history or the process list."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password (again): ") != first:
        raise CommandError("the passwords differ")
    return first


class Command(BaseCommand):
    help = (
        "Create a staff account for the admin (/admin/, ADMIN_ENABLED=true), its password read "
        "from the terminal and held to the API's password policy. --superuser grants every "
        "permission; otherwise grant permissions or groups in the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the staff member's email, which is also the login")
        parser.add_argument("--superuser", action="store_true", help="grant every permission")

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip().lower()
        if "@" not in email:
            raise CommandError(f"not an email address: {email!r}")
        if StaffUser.objects.filter(username=email).exists():
            raise CommandError(f"a staff account {email} exists already")
        staff = StaffUser(username=email, email=email, is_staff=True)
        staff.is_superuser = bool(options["superuser"])
        password = read_password()
        try:
            validate_password(password, staff)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        staff.set_password(password)
        with transaction.atomic():
            staff.save()
        kind = "superuser" if staff.is_superuser else "staff account"
        self.stdout.write(f"{kind} {email} created; sign in at /admin/ (ADMIN_ENABLED=true)")
