"""`manage.py grant_role EMAIL ROLE`: give an account a role (e.g. `admin`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...models import Role, User
from ...services.users import canonical_email


class Command(BaseCommand):
    help = "Give the account with this email a role, e.g. admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("role")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=canonical_email(options["email"])).first()
        if user is None:
            raise CommandError(f"no account has the email {options['email']}")
        role = Role.objects.filter(name=options["role"]).first()
        if role is None:
            raise CommandError(f"no role is named {options['role']}")
        role.users.add(user)
        self.stdout.write(f"{user.email} now has the role {role.name}")
