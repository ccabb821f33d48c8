"""Writes for users, roles and policy. Every state change is audited."""

from django.contrib.auth.models import Group
from django.db import transaction

from core.audit import audit_change

from .models import Policy, User
from .policy_profiles import policy_from_profile
from .roles import Role


def ensure_role_groups() -> dict[str, Group]:
    """The group for every role, created when missing (idempotent)."""
    return {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}


@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, roles: set[str]) -> None:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    groups = ensure_role_groups()
    before = sorted(g.name for g in user.groups.all())
    user.groups.set([groups[r] for r in roles])
    user.__dict__.pop("roles", None)
    after = sorted(roles)
    if before != after:
        audit_change(actor=actor, action="user_set_roles", obj=user, from_state=",".join(before),
                     to_state=",".join(after))


@transaction.atomic
def policy_load(*, actor: User | None, profile: str) -> Policy:
    """Make the named shipped profile the active policy (replacing the active one's values)."""
    fresh = policy_from_profile(profile)
    policy = Policy.objects.select_for_update().filter(is_active=True).first()
    before = policy.profile if policy else ""
    if policy is None:
        policy = fresh
    else:
        for field in Policy._meta.concrete_fields:
            if field.name not in {"id", "is_active", "updated_at"}:
                setattr(policy, field.name, getattr(fresh, field.name))
    policy.full_clean()
    policy.save()
    audit_change(actor=actor, action="policy_load", obj=policy, from_state=before, to_state=profile)
    return policy
