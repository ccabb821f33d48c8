"""Reads of the officials registry."""

from django.db.models import Prefetch, Q

from .models import Assignment, Consent, Official


def consents_in_force(official: Official) -> dict[str, Consent]:
    """The latest consent row per private field."""
    latest: dict[str, Consent] = {}
    for consent in official.consents.order_by("-created_at", "-id"):
        latest.setdefault(consent.field, consent)
    return latest


def published_private_data(official: Official) -> dict[str, str]:
    """The private fields that may be shown to others: only with consent in force, and never the
    home address of someone with protected personal data."""
    shown = {}
    for field, consent in consents_in_force(official).items():
        if not consent.given:
            continue
        if field == Consent.Field.HOME_ADDRESS and official.protected_identity:
            continue
        value = getattr(official, field)
        if value:
            shown[field] = value
    return shown


def officials_list(*, search: str = ""):
    """The registry list for the security unit: no private fields, assignments prefetched."""
    qs = Official.objects.select_related("party").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("body"))
    ).defer("home_address", "private_phone", "private_email", "private_social")
    if search:
        for word in search.split()[:5]:
            qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                           | Q(work_email__icontains=word))
    return qs
