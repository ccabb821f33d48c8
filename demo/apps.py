from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo municipality and the national benchmark data (`manage.py seed_demo`). The top of
    the layering: it may use every app's public services, selectors and models; nothing imports it."""

    name = "demo"
