"""Writes for account security: the second factor (TOTP authenticator and recovery codes), its
reset by an administrator, and the audit rows for logins and exports.

Every change is audited with `audit_change`; logins and 2FA checks are audited as kind `login`.
No secret (TOTP key, recovery code) is ever written to the audit trail, a log or an e-mail.
"""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_change, audit_read
from core.models import AuditEvent
from core.notify import tell

from .models import User

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


class TwoFactorError(Exception):
    """A second-factor action that is not allowed; the message is for the user."""


# ---------------------------------------------------------------- reads used by the views

def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def qr_code_svg(text: str) -> str:
    """An inline SVG QR code (black on white, no external request) for `text`."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=4)
    svg = image.to_string(encoding="unicode")
    # The caller adds its own accessible name; the SVG itself is decorative markup.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, as authenticator apps ask for it."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def normalise_code(raw: str) -> str:
    """Codes are accepted with spaces or dashes and in any case."""
    return re.sub(r"[\s\-]", "", raw or "").lower()


# ---------------------------------------------------------------- enrolment

@transaction.atomic
def totp_device_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first call and reused afterwards, so that
    the QR code stays the same when the enrolment page is reloaded."""
    device = (TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False)
              .order_by("-id").first())
    if device is None:
        device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def _throttle_message(device: Device) -> str:
    """Empty when the device may check a code now; else how long to wait."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return ""
    locked_until = (data or {}).get("locked_until") or timezone.now()
    wait = max(int((locked_until - timezone.now()).total_seconds()) + 1, 1)
    return _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {"seconds": wait}


def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm the pending authenticator with a code from the app. Any earlier authenticator of
    the user is removed (moving to a new phone). Raises TwoFactorError when the code is wrong
    (after the transaction, so that the failure counts towards the throttle)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        message = _throttle_message(device)
        if not message and not device.verify_token(normalise_code(token)):
            message = _("The code is not valid. Check the time on your phone and enter the code the app shows now.")
        if not message:
            replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
            had_one = replaced.filter(confirmed=True).exists()
            replaced.delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_change(actor=user, action="two_factor_replace" if had_one else "two_factor_enrol", obj=user,
                         from_state="totp" if had_one else "none", to_state="totp")
    if message:
        raise TwoFactorError(message)
    return device


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new single-use codes.
    The codes are returned once, to be shown once; earlier codes stop working."""
    device, _created = StaticDevice.objects.select_for_update().get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    audit_change(actor=user, action="recovery_codes_generate", obj=user, to_state=str(RECOVERY_CODE_COUNT))
    return sorted(codes)


# ---------------------------------------------------------------- login with the second factor

def second_factor_verify(*, user: User, token: str) -> tuple[Device | None, str]:
    """Check a code from the authenticator (digits) or a recovery code (letters and digits).
    Returns (device, "") on success, else (None, message for the user). Throttled per device
    by django-otp (1, 2, 4, 8 … seconds after consecutive failures); audited either way."""
    code = normalise_code(token)
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        devices = list(model.objects.select_for_update().filter(user=user, confirmed=True))
        for device in devices:
            message = _throttle_message(device)
            if message:
                return None, message
            if device.verify_token(code):
                action = "recovery_code_used" if model is StaticDevice else "two_factor_verify"
                audit_read(actor=user, action=action, obj=user, kind=AuditEvent.Kind.LOGIN)
                return device, ""
        audit_read(actor=user, action="two_factor_verify_failed", obj=user, kind=AuditEvent.Kind.LOGIN)
    return None, _("The code is not valid. Check the code and try again.")


# ---------------------------------------------------------------- reset by an administrator

@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """Remove a user's authenticator and recovery codes (lost phone). At the next login they set
    up a new one. An administrator may not reset their own second factor: another does it."""
    if actor.pk == user.pk:
        raise TwoFactorError(_("You cannot reset your own second factor. Ask another administrator."))
    devices = TOTPDevice.objects.filter(user=user)
    statics = StaticDevice.objects.filter(user=user)
    if not devices.exists() and not statics.exists():
        raise TwoFactorError(_("%(name)s has no second factor to reset.") % {"name": user.display_name()})
    devices.delete()
    statics.delete()
    audit_change(actor=actor, action="two_factor_reset", obj=user, from_state="totp", to_state="none")
    tell([user], lambda: _("Your two-factor login was reset"), lambda: _(
        "An administrator has reset the two-factor login of your Värn account. The next time you log "
        "in you will set up your authenticator app again.\n\n"
        "If you did not ask for this, contact the security unit at once."))


# ---------------------------------------------------------------- audit rows for sessions

def audit_login(*, action: str, user: User | None, actor: User | None) -> None:
    """A login, logout or lockout (kind `login`) concerning the account `user`. The actor is the
    user for a login or logout, and None for a lockout (whoever tried is unknown)."""
    AuditEvent.objects.create(
        actor=actor, kind=AuditEvent.Kind.LOGIN, action=action,
        object_type=User._meta.label_lower if user is not None else "",
        object_id=str(user.pk) if user is not None else "",
    )


def audit_export(*, actor: User, action: str, rows: int, reason: str = "") -> None:
    """An export of data (kind `export`): how many rows, and the filter used (`reason`)."""
    AuditEvent.objects.create(actor=actor, kind=AuditEvent.Kind.EXPORT, action=action, to_state=str(rows),
                              reason=reason)
