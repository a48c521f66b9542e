"""Roles and permissions: a user holds roles, a role grants permissions (by name)."""

from __future__ import annotations

from django.db import models

from .user import User

NAME_MAX = 64


class Permission(models.Model):
    """Something the code checks by name, e.g. `users:read`."""

    id = models.AutoField(primary_key=True)
    name = models.CharField(max_length=NAME_MAX, unique=True)

    class Meta:
        db_table = "permissions"

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A named set of permissions, given to users."""

    id = models.AutoField(primary_key=True)
    name = models.CharField(max_length=NAME_MAX, unique=True)
    permissions = models.ManyToManyField(
        Permission, db_table="role_permissions", related_name="roles"
    )
    users = models.ManyToManyField(User, db_table="user_roles", related_name="roles")

    class Meta:
        db_table = "roles"

    def __str__(self) -> str:
        return self.name
