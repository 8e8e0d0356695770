from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = _("Signatories and endorsements")

    def ready(self):
        # Here rather than in declaration/, which knows nothing of signatories/.
        from . import signals

        signals.connect()
