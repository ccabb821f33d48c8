"""Local demo: SQLite under var/, tasks eager, mail to the console, 2FA off unless asked."""

from .base import *  # noqa: F403
from .base import _bool

DEBUG = _bool("DJANGO_DEBUG", True)
