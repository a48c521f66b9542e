"""Refresh tokens, stored as SHA-256 hashes and grouped in rotation families."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now

TOKEN_HASH_LENGTH = 64
FAMILY_ID_LENGTH = 32


class RefreshTokenFamily(models.Model):
    """The chain of refresh tokens that one login produced. Its row is the lock that
    rotations and revocations of the family queue behind, and its `revoked_at` is the
    family-wide verdict: once set, no token of the family (even one minted a moment ago by
    a concurrent rotation) can be redeemed."""

    id = models.CharField(max_length=FAMILY_ID_LENGTH, primary_key=True)
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="+")
    # The expiry of the family's newest token: once passed, every row of the family is dead.
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "refresh_token_families"

    def __str__(self) -> str:
        return f"refresh token family {self.id}"


class RefreshToken(models.Model):
    """One issued refresh token. Using it marks it used; reusing a used one revokes its family."""

    id = models.AutoField(primary_key=True)
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey(RefreshTokenFamily, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=TOKEN_HASH_LENGTH, unique=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True)
    revoked_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "refresh_tokens"

    def __str__(self) -> str:
        return f"refresh token {self.id}"
