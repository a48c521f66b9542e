"""Django's admin for staff, at /admin/ when ADMIN_ENABLED=true (CONTRIBUTING.md: "The admin").

Staff are Django's own `auth.User` accounts (`auth_user`), apart from the API's `users`: signing
up through the API never makes anyone staff, and an API token never opens the admin. The admin
keeps the API's sign-in rules: the same password policy and Argon2id parameters, the same per-IP
login limit (one budget shared with the API's login) and per-account failure limit, 429 with
Retry-After beyond them, a session id rotated at login, CSRF on every form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.models import User as StaffUser
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from .api.deps import rate_limit, rate_limiter
from .config import get_settings
from .errors import TooManyAttemptsError
from .models import Item, User
from .ratelimit import Rate
from .services.errors import ValidationFailedError
from .services.passwords import PASSWORD_MAX, PASSWORD_MIN, check_password_policy

ADMIN_PREFIX = "/admin/"
# The admin's pages load their own scripts, styles and icons; nothing from elsewhere, no frames.
ADMIN_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class ConfiguredArgon2Hasher(Argon2PasswordHasher):
    """Django's Argon2id hasher with the API's cost parameters (ARGON2_*): a staff password costs
    an attacker what an API password does, and changed parameters rehash at the next login."""

    def __init__(self) -> None:
        settings = get_settings()
        self.time_cost = settings.argon2_time_cost
        self.memory_cost = settings.argon2_memory_cost
        self.parallelism = settings.argon2_parallelism


class PasswordPolicyValidator:
    """The API's password policy (services/passwords.py) as a Django password validator: it
    governs `create_staff`, the admin's password forms and `changepassword`."""

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        email = getattr(user, "email", "") or ""
        try:
            check_password_policy(password, email)
        except ValidationFailedError as error:
            raise ValidationError(
                f"The password {error.message}.", code="password_policy"
            ) from None

    def get_help_text(self) -> str:
        return (
            f"{PASSWORD_MIN} to {PASSWORD_MAX} characters, not a common password, "
            "not your email address."
        )


class StaffAdminSite(admin.AdminSite):
    """The admin site: active staff only (`is_staff`), logins limited like the API's."""

    site_header = "Administration"
    site_title = "Administration"
    index_title = "Staff administration"

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method != "POST":
            return super().login(request, extra_context)
        # Per IP: the API's login limit, one budget for both sign-ins.
        rate_limit(request, "login")
        # Per account: failures from any number of IPs; a successful login is given back.
        username = str(request.POST.get("username", "")).strip().lower()
        key = f"admin-login-account:{username}"
        limiter = rate_limiter()
        rate = Rate.parse(get_settings().rate_limit_login_account)
        retry_after = limiter.hit(key, rate)
        if retry_after is not None:
            raise TooManyAttemptsError(retry_after)
        response = super().login(request, extra_context)
        if self.has_permission(request):
            limiter.forgive(key)
        return response


site = StaffAdminSite(name="admin")

if TYPE_CHECKING:  # django-stubs makes the admin classes generic; at run time they are not
    _StaffAdminBase = UserAdmin[StaffUser]
    _AccountAdminBase = admin.ModelAdmin[User]
    _ItemAdminBase = admin.ModelAdmin[Item]
else:
    _StaffAdminBase = UserAdmin
    _AccountAdminBase = _ItemAdminBase = admin.ModelAdmin


class StaffAdmin(_StaffAdminBase):
    """Staff accounts: Django's user admin; new passwords pass the policy (AUTH_PASSWORD_VALIDATORS)."""

    list_display = ("username", "email", "is_staff", "is_superuser", "is_active", "last_login")
    readonly_fields = ("last_login", "date_joined")


class AccountAdmin(_AccountAdminBase):
    """The API's accounts, read-only: they are created through the API, which applies the
    password policy; the password hash is never shown. Deleting one (with the permission)
    deletes its items and sign-ins."""

    list_display = ("id", "email", "created_at")
    search_fields = ("email",)
    ordering = ("-id",)
    fields = ("id", "email", "created_at", "updated_at")
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ItemAdmin(_ItemAdminBase):
    """Items: staff may correct the content; who owns an item and when it was made are fixed."""

    list_display = ("id", "title", "done", "owner", "created_at")
    list_filter = ("done",)
    search_fields = ("title",)
    ordering = ("-id",)
    list_select_related = ("owner",)
    fields = ("id", "owner", "title", "description", "done", "created_at", "updated_at")
    readonly_fields = ("id", "owner", "created_at", "updated_at")
    # The list may hold millions of rows: no exact count of the unfiltered table on each page.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an item belongs to an account; accounts create their items via the API


site.register(StaffUser, StaffAdmin)
site.register(Group, GroupAdmin)
site.register(User, AccountAdmin)
site.register(Item, ItemAdmin)


def admin_urlpatterns() -> list[URLPattern | URLResolver]:
    """/admin/ when ADMIN_ENABLED=true, else nothing (the admin's URLs answer 404)."""
    if not get_settings().admin_enabled:
        return []
    return [path(ADMIN_PREFIX.strip("/") + "/", site.urls)]


urlpatterns = admin_urlpatterns()


class AdminContentSecurityPolicy:
    """The admin's pages need their own scripts and styles, which the API's CSP (`default-src
    'none'`) forbids: under /admin/ a CSP allowing the site's own files is set instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX):
            response["Content-Security-Policy"] = ADMIN_CSP
        return response


class AdminSessionRepository:
    """The admin's sessions (django_session) for `manage.py purge`."""

    def purge_expired(self, now: datetime) -> int:
        deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
        return deleted
