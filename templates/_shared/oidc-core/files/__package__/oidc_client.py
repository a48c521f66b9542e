"""HTTP client of an OpenID Connect issuer: discovery, signing keys and the token endpoint.

Discovery and the key set are fetched lazily (the app starts without reaching the issuer) and
cached in memory for `cache_ttl` seconds. Calls have timeouts; connection errors, timeouts and
5xx answers are retried with exponential backoff, except a token request that may have reached
the issuer (an authorization code is single-use).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import httpx2
import jwt

logger = logging.getLogger(__name__)

DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
# Asymmetric algorithms only: `none` and the HMAC family are never accepted for ID tokens.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
_SERVER_ERROR = 500


class IssuerUnavailableError(Exception):
    """The issuer could not be reached, timed out, or answered with an error of its own."""


class IssuerRejectedError(Exception):
    """The issuer refused a request of this client, e.g. `invalid_grant` for a bad code."""

    def __init__(self, error: str) -> None:
        super().__init__(f"the identity provider answered {error}")
        self.error = error


@dataclass(frozen=True)
class ProviderMetadata:
    """The parts of the discovery document this client uses."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    signing_algorithms: tuple[str, ...]


class OidcClient:
    """One issuer, one registered client (confidential, `client_secret_basic`)."""

    def __init__(
        self,
        discovery_url: str,
        client_id: str,
        client_secret: str,
        *,
        require_https: bool = True,
        transport: httpx2.BaseTransport | None = None,
        timeout: float = 5.0,
        retries: int = 2,
        backoff: float = 0.25,
        cache_ttl: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.discovery_url = discovery_url
        self.client_id = client_id
        self._client_secret = client_secret
        self.require_https = require_https
        self.retries = retries
        self.backoff = backoff
        self.cache_ttl = cache_ttl
        self._clock = clock
        self._sleep = sleep
        self._http = httpx2.Client(transport=transport, timeout=timeout, follow_redirects=False)
        self._metadata: tuple[float, ProviderMetadata] | None = None
        self._keys: tuple[float, jwt.PyJWKSet] | None = None

    def close(self) -> None:
        self._http.close()

    def metadata(self) -> ProviderMetadata:
        """The issuer's discovery document, validated and cached."""
        if self._metadata is not None and self._clock() < self._metadata[0]:
            return self._metadata[1]
        document = self._get_json(self._checked_url(self.discovery_url, "OIDC_DISCOVERY_URL"))
        metadata = self._parse_metadata(document)
        self._metadata = (self._clock() + self.cache_ttl, metadata)
        return metadata

    def signing_key(self, key_id: str | None) -> jwt.PyJWK:
        """The issuer's public key with this `kid` (the key set is fetched again once when the
        `kid` is unknown, so that key rotation at the issuer needs no restart)."""
        key = self._find_key(self._key_set(refresh=False), key_id)
        if key is None:
            key = self._find_key(self._key_set(refresh=True), key_id)
        if key is None:
            raise LookupError(f"the issuer has no signing key {key_id!r}")
        return key

    def exchange_code(self, code: str, code_verifier: str, redirect_uri: str) -> dict[str, Any]:
        """Trade an authorization code (and its PKCE verifier) for the issuer's tokens."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        # RFC 6749 section 2.3.1: the id and secret are form-encoded before Basic encoding.
        auth = (quote(self.client_id, safe=""), quote(self._client_secret, safe=""))
        response = self._send(
            "POST", self.metadata().token_endpoint, data=form, auth=auth, idempotent=False
        )
        if response.status_code != httpx2.codes.OK:
            error = _error_code(response)
            logger.warning(
                "token endpoint refused the code",
                extra={"status": response.status_code, "error": error},
            )
            raise IssuerRejectedError(error)
        return self._json(response)

    def _key_set(self, *, refresh: bool) -> jwt.PyJWKSet:
        if not refresh and self._keys is not None and self._clock() < self._keys[0]:
            return self._keys[1]
        document = self._get_json(self.metadata().jwks_uri)
        try:
            keys = jwt.PyJWKSet.from_dict(document)
        except jwt.PyJWTError as exc:
            raise IssuerUnavailableError(f"the issuer's key set is unusable: {exc}") from exc
        self._keys = (self._clock() + self.cache_ttl, keys)
        return keys

    @staticmethod
    def _find_key(keys: jwt.PyJWKSet, key_id: str | None) -> jwt.PyJWK | None:
        signing = [key for key in keys.keys if key.public_key_use in (None, "sig")]
        if key_id is None:
            return signing[0] if len(signing) == 1 else None
        return next((key for key in signing if key.key_id == key_id), None)

    def _parse_metadata(self, document: dict[str, Any]) -> ProviderMetadata:
        expected_issuer = self.discovery_url.removesuffix(DISCOVERY_SUFFIX)
        if document.get("issuer") != expected_issuer:
            raise IssuerUnavailableError("the discovery document names another issuer")
        urls: dict[str, str] = {}
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            value = document.get(name)
            if not isinstance(value, str):
                raise IssuerUnavailableError(f"the discovery document has no {name}")
            urls[name] = self._checked_url(value, name)
        methods = document.get("code_challenge_methods_supported")
        if isinstance(methods, list) and "S256" not in methods:
            raise IssuerUnavailableError("the issuer does not support PKCE with S256")
        advertised = document.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = tuple(alg for alg in advertised if alg in ASYMMETRIC_ALGORITHMS)
        if not algorithms:
            raise IssuerUnavailableError("the issuer signs ID tokens with no accepted algorithm")
        return ProviderMetadata(issuer=expected_issuer, signing_algorithms=algorithms, **urls)

    def _checked_url(self, url: str, name: str) -> str:
        scheme = urlsplit(url).scheme
        if scheme != "https" and not (scheme == "http" and not self.require_https):
            raise IssuerUnavailableError(f"{name} must be an https URL")
        return url

    def _get_json(self, url: str) -> dict[str, Any]:
        response = self._send("GET", url, idempotent=True)
        if response.status_code != httpx2.codes.OK:
            raise IssuerUnavailableError(f"GET {url} answered {response.status_code}")
        return self._json(response)

    @staticmethod
    def _json(response: httpx2.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError as exc:
            raise IssuerUnavailableError(
                "the issuer answered with something other than JSON"
            ) from exc
        if not isinstance(body, dict):
            raise IssuerUnavailableError("the issuer answered with a JSON value, not an object")
        return body

    def _send(self, method: str, url: str, *, idempotent: bool, **options: Any) -> httpx2.Response:
        """Send with retries: connect errors always, timeouts and 5xx only when idempotent."""
        attempt = 0
        while True:
            try:
                response = self._http.request(method, url, **options)
            except httpx2.TransportError as exc:
                retryable = idempotent or isinstance(exc, httpx2.ConnectError)
                if not retryable or attempt >= self.retries:
                    logger.warning("issuer unreachable", extra={"url": url, "error": repr(exc)})
                    raise IssuerUnavailableError(f"{method} {url} failed: {exc}") from exc
            else:
                if response.status_code < _SERVER_ERROR:
                    return response
                if not idempotent or attempt >= self.retries:
                    logger.warning(
                        "issuer error", extra={"url": url, "status": response.status_code}
                    )
                    raise IssuerUnavailableError(f"{method} {url} answered {response.status_code}")
            self._sleep(self.backoff * 2**attempt)
            attempt += 1


def _error_code(response: httpx2.Response) -> str:
    """The OAuth `error` code of a refusal, else its status code."""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        error = None
    return error[:100] if isinstance(error, str) else str(response.status_code)
