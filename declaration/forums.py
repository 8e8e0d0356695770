"""Forums' names in the site's other languages, only where the forum has an official one: the
UN's bodies in the six UN languages, the WTO in its own three (English, French, Spanish), the
OECD in its two (English, French). Any other forum, or language, keeps its English name;
acronyms stay as recorded (they are the lists' and the filters' short names).
"""

from django.conf import settings
from django.utils import translation

OFFICIAL_NAMES = {
    "un": {
        "ar": "الأمم المتحدة",
        "zh-hans": "联合国",
        "es": "Naciones Unidas",
        "fr": "Nations Unies",
        "ru": "Организация Объединенных Наций",
    },
    "igf": {
        "ar": "منتدى إدارة الإنترنت",
        "zh-hans": "互联网治理论坛",
        "es": "Foro para la Gobernanza de Internet",
        "fr": "Forum sur la gouvernance de l'Internet",
        "ru": "Форум по вопросам управления Интернетом",
    },
    "wto": {
        "es": "Organización Mundial del Comercio",
        "fr": "Organisation mondiale du commerce",
    },
    "oecd": {
        "fr": "Organisation de coopération et de développement économiques",
    },
}


def forum_name(slug, name, language=None):
    """The forum's official name in the language (the active one by default), else ``name``."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return OFFICIAL_NAMES.get(slug, {}).get(language, name)
