"""`manage.py outbox dead` lists the messages that were given up on; `outbox retry ID` queues
one again (`make outbox-dead`, `make outbox-retry ID=N`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...outbox import dead_messages, requeue


class Command(BaseCommand):
    help = "List dead outbox messages (dead) or queue one again (retry ID)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("dead", help="list the messages that were given up on")
        retry = commands.add_parser("retry", help="queue a dead message again")
        retry.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "retry":
            if not requeue(options["id"]):
                raise CommandError(f"no dead outbox message with id {options['id']}")
            self.stdout.write(f"queued outbox message {options['id']} again")
            return
        for message in dead_messages():
            attempts = f"{message.attempts} attempt(s)"
            self.stdout.write(f"{message.id}\t{message.kind}\t{attempts}\t{message.last_error}")
