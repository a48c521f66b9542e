"""Server-side sessions, stored by the hash of their cookie value."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now

from .user import User

TOKEN_HASH_LENGTH = 64


class UserSession(models.Model):
    """A signed-in browser. The cookie holds a random token; only its keyed hash is stored."""

    id = models.AutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=TOKEN_HASH_LENGTH, unique=True)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "sessions"

    def __str__(self) -> str:
        return f"session {self.id}"
