from django.conf import settings


def test_tasks_are_eager_without_broker():
    if not settings.CELERY_BROKER_URL:
        assert settings.CELERY_TASK_ALWAYS_EAGER is True


def test_swedish_is_default_language():
    assert settings.LANGUAGE_CODE == "sv"
    assert [code for code, _ in settings.LANGUAGES] == ["sv", "en"]
