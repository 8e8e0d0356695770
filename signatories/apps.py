from django.apps import AppConfig, apps


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = "Signatories and endorsements"

    def ready(self):
        from .caching import TRACKED_APPS, connect_signals

        # Here rather than in declaration/, which knows nothing of signatories/.
        connect_signals([apps.get_app_config(label) for label in TRACKED_APPS])
