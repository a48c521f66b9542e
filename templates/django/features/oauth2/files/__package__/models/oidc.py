"""OpenID Connect: logins in progress and the issuer identities linked to accounts."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now

from .user import ExactCharField, User

STATE_HASH_LENGTH = 64
NONCE_MAX = 64
CODE_VERIFIER_MAX = 128
ISSUER_MAX = 255
SUBJECT_MAX = 255


class OidcLogin(models.Model):
    """A login sent to the issuer and not back yet: `state` (stored as its SHA-256), `nonce`
    and the PKCE verifier stay on the server; the callback consumes the row, so it works once.
    `browser_hash` is the SHA-256 of the secret in the cookie set on the browser that started
    the login: the callback works only in that browser (no login CSRF, no replayed URL)."""

    id = models.AutoField(primary_key=True)
    state_hash = models.CharField(max_length=STATE_HASH_LENGTH, unique=True)
    browser_hash = models.CharField(max_length=STATE_HASH_LENGTH)
    nonce = models.CharField(max_length=NONCE_MAX)
    code_verifier = models.CharField(max_length=CODE_VERIFIER_MAX)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "oidc_logins"

    def __str__(self) -> str:
        return f"oidc login {self.id}"


class OidcIdentity(models.Model):
    """An account's identity at an issuer: (issuer, subject) names one person for good, compared
    byte for byte on every database."""

    id = models.AutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    issuer = ExactCharField(max_length=ISSUER_MAX)
    subject = ExactCharField(max_length=SUBJECT_MAX)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "oidc_identities"
        constraints = (
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="uq_oidc_identities_issuer_subject"
            ),
        )

    def __str__(self) -> str:
        return f"oidc identity {self.id}"
