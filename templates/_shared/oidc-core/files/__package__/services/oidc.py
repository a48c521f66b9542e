"""OpenID Connect login: the authorization request (state, nonce, PKCE), the callback's checks
of the issuer's answer, and the link between an issuer identity and a local account."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

import jwt

from ..models.oidc import SUBJECT_MAX, OidcLogin
from ..models.user import EMAIL_MAX, User
from ..oidc_client import IssuerRejectedError, ProviderMetadata
from .errors import AuthenticationError
from .users import canonical_email

logger = logging.getLogger(__name__)

LOGIN_TTL = timedelta(minutes=10)
CLOCK_LEEWAY = timedelta(seconds=60)
REQUIRED_CLAIMS = ["iss", "sub", "aud", "exp", "iat"]


class LoginFailedError(AuthenticationError):
    """The callback failed a check. The login it named is spent all the same (the state was
    consumed), so this error keeps the transaction's writes."""

    commit_transaction = True


class IdentityProvider(Protocol):
    """What the login rules need from the issuer (`OidcClient`, or a fake in unit tests)."""

    def metadata(self) -> ProviderMetadata: ...
    def signing_key(self, key_id: str | None) -> jwt.PyJWK: ...
    def exchange_code(self, code: str, code_verifier: str, redirect_uri: str) -> dict[str, Any]: ...


class OidcRepository(Protocol):
    """The queries the login rules need."""

    def add_login(self, login: OidcLogin) -> None: ...
    def take_login(self, state_hash: str) -> OidcLogin | None: ...
    def delete_expired_logins(self, now: datetime) -> int: ...
    def get_user(self, issuer: str, subject: str) -> User | None: ...
    def email_taken(self, email: str) -> bool: ...
    def add_user(self, issuer: str, subject: str, email: str | None) -> User: ...
    def set_email(self, user: User, email: str) -> None: ...


@dataclass(frozen=True)
class StartedLogin:
    """Where to send the browser, and the secret for its login cookie (only it may finish)."""

    url: str
    browser_secret: str


@dataclass(frozen=True)
class LoginConfig:
    """This application as a client of the issuer."""

    client_id: str
    redirect_uri: str
    scopes: str


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _email(claims: dict[str, Any]) -> str | None:
    """The token's email, unless the issuer says it is unverified (it is never used to link)."""
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") is False:
        return None
    email = canonical_email(email)
    return email if 3 <= len(email) <= EMAIL_MAX and "@" in email else None


class OidcService:
    """Start a login at the issuer and turn its callback into a local account."""

    def __init__(
        self,
        logins: OidcRepository,
        provider: IdentityProvider,
        config: LoginConfig,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.logins = logins
        self.provider = provider
        self.config = config
        self.clock = clock

    def start_login(self) -> StartedLogin:
        """Record a new login; return the issuer URL to send the browser to and the secret
        that binds the login to that browser."""
        endpoint = self.provider.metadata().authorization_endpoint
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        verifier, browser_secret = secrets.token_urlsafe(64), secrets.token_urlsafe(32)
        now = self.clock()
        self.logins.delete_expired_logins(now)
        self.logins.add_login(
            OidcLogin(
                state_hash=_hash(state),
                browser_hash=_hash(browser_secret),
                nonce=nonce,
                code_verifier=verifier,
                expires_at=now + LOGIN_TTL,
            )
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.config.client_id,
                "redirect_uri": self.config.redirect_uri,
                "scope": self.config.scopes,
                "state": state,
                "nonce": nonce,
                "code_challenge": _s256(verifier),
                "code_challenge_method": "S256",
            }
        )
        url = f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
        return StartedLogin(url=url, browser_secret=browser_secret)

    def finish_login(
        self, state: str, code: str | None, error: str | None, browser_secret: str | None
    ) -> User:
        """Check the callback, redeem the code, verify the ID token, return the linked user.

        The login is consumed before any check, so a callback that fails one (a missing or
        foreign login cookie included) leaves nothing to retry with.
        """
        login = self.logins.take_login(_hash(state))
        if login is None or login.expires_at <= self.clock():
            raise LoginFailedError("this login is unknown, expired or already used; start again")
        if not hmac.compare_digest(_hash(browser_secret or ""), login.browser_hash):
            raise LoginFailedError("this login was started in another browser; start again")
        if error is not None or not code:
            logger.info("the identity provider did not authorize the login", extra={"error": error})
            raise LoginFailedError("the identity provider did not authorize the login")
        try:
            tokens = self.provider.exchange_code(
                code, login.code_verifier, self.config.redirect_uri
            )
        except IssuerRejectedError as exc:
            raise LoginFailedError("the identity provider refused the authorization code") from exc
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise LoginFailedError("the identity provider sent no ID token")
        claims = self.verify_id_token(id_token, login.nonce)
        return self._link(claims["iss"], claims["sub"], _email(claims))

    def verify_id_token(self, token: str, nonce: str) -> dict[str, Any]:
        """Signature (issuer's key, pinned algorithms), iss, aud, azp, exp, iat and nonce."""
        metadata = self.provider.metadata()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise LoginFailedError("the ID token is malformed") from exc
        algorithm, key_id = header.get("alg"), header.get("kid")
        if algorithm not in metadata.signing_algorithms:
            raise LoginFailedError("the ID token is signed with an algorithm that is not accepted")
        if key_id is not None and not isinstance(key_id, str):
            raise LoginFailedError("the ID token is malformed")
        try:
            key = self.provider.signing_key(key_id)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=self.config.client_id,
                issuer=metadata.issuer,
                leeway=CLOCK_LEEWAY,
                options={"require": REQUIRED_CLAIMS},
            )
        except LookupError as exc:
            raise LoginFailedError("the ID token is signed with an unknown key") from exc
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise LoginFailedError("the ID token is invalid or expired") from exc
        audience = claims["aud"]
        if (
            isinstance(audience, list)
            and len(audience) > 1
            and claims.get("azp") != self.config.client_id
        ):
            raise LoginFailedError("the ID token was issued to another client")
        if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
            raise LoginFailedError("the ID token does not belong to this login (nonce)")
        subject = claims["sub"]
        if not isinstance(subject, str) or not 0 < len(subject) <= SUBJECT_MAX:
            raise LoginFailedError("the ID token's subject is not usable")
        return claims

    def _link(self, issuer: str, subject: str, email: str | None) -> User:
        """The account of (issuer, subject), created at its first login. The email is kept
        up to date when the issuer vouches for it and no other account holds it."""
        user = self.logins.get_user(issuer, subject)
        if user is not None and email == user.email:
            return user
        if email is not None and self.logins.email_taken(email):
            logger.warning("an OIDC login carries an email another account holds")
            email = None
        if user is None:
            return self.logins.add_user(issuer, subject, email)
        if email is not None:
            self.logins.set_email(user, email)
        return user
