"""Every change to the public record renews the data version, in the same transaction."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import DataVersion

TRACKED_APPS = ("declaration", "signatories")


def _changed(sender, **kwargs):
    DataVersion.renew()


def _m2m_changed(sender, action, **kwargs):
    if sender._meta.app_label in TRACKED_APPS and action.startswith("post_"):
        DataVersion.renew()


def connect():
    """Renew the data version on every save and delete of the tracked apps' models."""
    for label in TRACKED_APPS:
        for model in apps.get_app_config(label).get_models():
            if model is DataVersion:
                continue
            uid = f"data-version-{model._meta.label_lower}"
            post_save.connect(_changed, sender=model, weak=False, dispatch_uid=uid + "-save")
            post_delete.connect(_changed, sender=model, weak=False, dispatch_uid=uid + "-delete")
    m2m_changed.connect(_m2m_changed, weak=False, dispatch_uid="data-version-m2m")
