"""The six official languages of the UN: which one a request is in, and links to the others.

A page's language is its address's: English at the site's first addresses (/participants/),
every other language under its code (/fr/participants/), so a link or a permalink always
shows the same words. The browser's Accept-Language chooses only on the home page "/" (a 302
to /fr/ and so on), never on another address. The JSON API, /healthz and /favicon.ico speak
English at one address; the admin follows the editor's browser (or Django's language cookie),
as Django's admin is translated already.
"""

from django import template
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation.trans_real import parse_accept_lang_header

# Each language named in its own words, for the language menu.
NATIVE_NAMES = {
    "en": "English",
    "ar": "العربية",
    "zh-hans": "中文",
    "es": "Español",
    "fr": "Français",
    "ru": "Русский",
}
# "/?lang=en": the English home page for a browser that prefers another of the languages
# (the language menu's English link there), rather than a 302 to that language.
ENGLISH_HOME_PARAMETER = "lang"


def bcp47(code):
    """The language as HTML's lang and hreflang write it: zh-hans → zh-Hans."""
    language, _, script = code.partition("-")
    return f"{language}-{script.title()}" if len(script) == 4 else code


def is_bare_home(request):
    """The home page with no parameter: the one address the browser's language may choose."""
    return request.path_info == "/" and not request.META.get("QUERY_STRING")


def preferred_language(request):
    """The first of the site's languages the browser's Accept-Language asks for, else
    English. Django's language cookie is not read: the page cache keys on the header."""
    for code, _ in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def home_language(request):
    """The language a bare "/" answers in (the page cache's key must hold it), else ""."""
    return preferred_language(request) if is_bare_home(request) else ""


class LanguageMiddleware:
    """Activates the request's language (see the module's docstring); sends a browser that
    prefers another language from "/" to that language's home page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin = None

    def __call__(self, request):
        if self.admin is None:
            with translation.override(None):
                self.admin = reverse("admin:index")
        home = is_bare_home(request)
        language = translation.get_language_from_path(request.path_info)
        if language is None:
            if home:
                language = preferred_language(request)
            elif request.path_info.startswith(self.admin):
                language = translation.get_language_from_request(request)
            else:
                language = settings.LANGUAGE_CODE
        if home and language != settings.LANGUAGE_CODE:
            with translation.override(language):
                response = HttpResponseRedirect(reverse("signatories:home"))
            patch_vary_headers(response, ("Accept-Language",))
            return response
        request.LANGUAGE_CODE = language
        # Only for this request: the next one in this thread (or a test) starts from English.
        with translation.override(language):
            response = self.get_response(request)
        if response.streaming:  # an export written as it is sent, after this returns
            response.streaming_content = in_language(response.streaming_content, language)
        if home:
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


def in_language(chunks, language):
    """A streamed response's chunks, written in its request's language."""
    with translation.override(language):
        yield from chunks


class LanguageLink:
    def __init__(self, code, url, absolute, current):
        self.code, self.url, self.absolute, self.current = code, url, absolute, current
        self.name = NATIVE_NAMES.get(code, code)
        self.lang = bcp47(code)


def language_links(request):
    """Links to the page shown, with its parameters, in every language: the menu's
    (``url``) and the ``hreflang`` alternates' (``absolute``)."""
    current = translation.get_language()
    query = request.GET.copy()
    query.pop(ENGLISH_HOME_PARAMETER, None)
    path = request.path + (f"?{query.urlencode()}" if query else "")
    links = []
    for code, _ in settings.LANGUAGES:
        url = translate_url(path, code)
        alternate = url
        if url == "/" and current != code:
            url = f"/?{ENGLISH_HOME_PARAMETER}={code}"  # else "/" would send it back
        absolute = request.build_absolute_uri(alternate)
        links.append(LanguageLink(code, url, absolute, current=code == current))
    return links


# The attributes of an element holding the record's own English words (the declaration's text
# and summaries, event names, editors' notes) on a page in another language: a screen reader
# then reads them as English, and in Arabic they run left to right, their full stop at the end.
IN_ENGLISH = mark_safe(' lang="en" dir="ltr"')

register = template.Library()


@register.filter
def in_english(text):
    """The record's English words inside a page's sentence: in a ``<span>`` with
    ``IN_ENGLISH`` on a page in another language; as they are on an English page."""
    if (translation.get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
        return text
    return format_html("<span{}>{}</span>", IN_ENGLISH, text)


def document_language():
    """``html_lang`` and ``html_dir`` of a document in the active language, and ``in_english``,
    the attributes of an element holding English text in it (none in English)."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "html_lang": bcp47(code),
        "html_dir": "rtl" if translation.get_language_bidi() else "ltr",
        "in_english": "" if code == settings.LANGUAGE_CODE else IN_ENGLISH,
    }


def languages(request):
    """The context processor: the page's ``html_lang`` and ``html_dir``, and its
    ``language_links`` (computed when a template reads them)."""
    return {
        **document_language(),
        "language_links": SimpleLazyObject(lambda: language_links(request)),
    }
