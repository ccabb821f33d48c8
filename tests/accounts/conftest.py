"""Helpers for the account-security tests: two-factor devices and codes."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code the authenticator app shows now (or `offset_steps` steps away)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    valid = {current_code(device, step) for step in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in valid)


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True
    return settings


@pytest.fixture
def totp_device():
    """A confirmed authenticator (and three recovery codes) for a user."""

    def make(user, codes=("abcd2345", "efgh6723", "ijkl4567")):
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        for code in codes:
            StaticToken.objects.create(device=static, token=code)
        return device

    return make


@pytest.fixture
def verified_client(client, totp_device):
    """Log a staff member in with a verified second factor: `verified_client(handler)`."""

    def login(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login
