"""Roles and permissions, both many-to-many. The initial migration seeds `admin`."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base

NAME_MAX = 64
# The initial migration writes these tables' rows; migrations/env.py lets a downgrade drop them.
SEEDED = {"seeded_by_migrations": True}

role_permissions = Table(
    "role_permissions",
    Base.metadata,
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "permission_id",
        ForeignKey("permissions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
    info=SEEDED,
)

user_roles = Table(
    "user_roles",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Permission(Base):
    """A named capability, e.g. `users:read`."""

    __tablename__ = "permissions"
    __table_args__ = ({"info": SEEDED},)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)


class Role(Base):
    """A named set of permissions, e.g. `admin`."""

    __tablename__ = "roles"
    __table_args__ = ({"info": SEEDED},)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    permissions: Mapped[list[Permission]] = relationship(secondary=role_permissions)
