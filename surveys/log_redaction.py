"""Keep survey links out of the logs.

The token in an answering link is a one-time secret. Django logs request paths in a few places
(the development server's access log, 4xx warnings, CSRF failures) and gunicorn's access log does
too; this filter, attached to those loggers when the app starts, replaces the token with "…".
"""

import logging
import re

TOKEN_IN_PATH = re.compile(r"(/surveys/answer/)(?!thanks/)[^/\s\"'?]+")
LOGGERS = ("django.server", "django.request", "django.security.csrf", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub(r"\1…", text)


class RedactSurveyTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a malformed record is left to the handler
            return True
        if "/surveys/answer/" in message:
            record.msg, record.args = redact(message), ()
        return True


def install() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSurveyTokens) for f in logger.filters):
            logger.addFilter(RedactSurveyTokens())
