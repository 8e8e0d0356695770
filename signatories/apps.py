from django.apps import AppConfig


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = "Signatories and endorsements"

    def ready(self):
        # Here rather than in declaration/, which knows nothing of signatories/.
        from . import signals

        signals.connect()
