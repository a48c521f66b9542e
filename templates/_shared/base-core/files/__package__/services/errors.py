"""Errors the services raise; the API layer maps each kind to an HTTP status."""


class DomainError(Exception):
    """Base class for expected, client-caused failures."""

    commit_transaction = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DomainError):
    """The resource does not exist, or belongs to someone else."""


class ConflictError(DomainError):
    """The request conflicts with existing data (e.g. a duplicate email)."""


class AuthenticationError(DomainError):
    """Credentials or token missing, wrong, expired or revoked."""


class PermissionDeniedError(DomainError):
    """Authenticated, but not allowed."""


class ValidationFailedError(DomainError):
    """Input is well-formed but breaks a business rule."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
