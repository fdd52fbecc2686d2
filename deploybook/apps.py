"""The Django app users add to INSTALLED_APPS to get `manage.py deploy`."""

from __future__ import annotations

from django.apps import AppConfig  # type: ignore[import-untyped]  # Django ships no type hints


class DeploybookConfig(AppConfig):  # type: ignore[misc]
    name = "deploybook"
    verbose_name = "deploybook"
