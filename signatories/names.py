"""The names people use for a participant: its name, its ISO name, its aliases (former, informal
and official long names) and its ISO codes. The public search and the importer both find
participants here, so "Turkey", "UK" or "GB" mean the same in a search box and in a file.
"""

import difflib
import re

from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext, gettext_noop

from . import cldr
from .models import Participant, normalise_for_search

# What an editor or a visitor reads (gettext() them where they are said). Tests assert these
# words. The names are joined by the language's own list pattern (cldr.join).
UNKNOWN_PARTICIPANT = gettext_noop("No participant is called “{name}”.")
UNKNOWN_DID_YOU_MEAN = gettext_noop(
    "No participant is called “{name}”. Did you mean {suggestions}?"
)
AMBIGUOUS = gettext_noop("“{name}” could be {candidates}: write the full name or the ISO code.")

CODE = re.compile(r"[A-Za-z]{2,3}")


def code_of(text):
    """The text as an ISO alpha-2 or alpha-3 code ("gb" → "GB"), or "" if it cannot be one."""
    text = (text or "").strip()
    return text.upper() if CODE.fullmatch(text) else ""


def search(queryset, text):
    """Participants whose names hold every word of the text, or whose ISO code it is; those it
    names exactly (a code, a name or an alias, whole) are marked ``exact_name`` = 0, for
    ordering first."""
    key = normalise_for_search(text).strip()
    words = Q()
    for word in key.split():
        words &= Q(search_name__contains=word)
    exact = Q(search_name__contains=f"|{key}|") if key else Q(pk__in=[])
    if code := code_of(text):
        exact |= Q(iso_alpha2=code) | Q(iso_alpha3=code)
    # Its name in any of the site's languages (Noruega, Норвегия, 挪威): CLDR's.
    named, named_whole = cldr.codes_named(text)
    words |= _with_codes(named)
    exact |= _with_codes(named_whole)
    return queryset.filter(words | exact).annotate(
        exact_name=Case(When(exact, then=Value(0)), default=Value(1))
    )


def _with_codes(codes):
    """Participants with these ISO alpha-2 codes or, those without one, these slugs."""
    if not codes:
        return Q(pk__in=[])
    iso = [code for code in codes if CODE.fullmatch(code)]
    return Q(iso_alpha2__in=iso) | Q(slug__in=[code for code in codes if code not in iso])


def find_participant(text):
    """``(participant, None)`` or ``(None, message)``: by its address name (``norway``), else as
    ``NameIndex.find`` finds it (a whole name or an ISO code, case and accents ignored)."""
    text = text.strip()
    participant = Participant.objects.filter(slug=text).first()
    return (participant, None) if participant else NameIndex().find(text)


class NameIndex:
    """Every participant, found by ISO code or by a whole name (case and accents ignored)."""

    def __init__(self):
        self.all = list(Participant.objects.order_by("name"))
        self.by_code = {}
        self.by_name = {}
        for participant in self.all:
            for code in (participant.iso_alpha2, participant.iso_alpha3):
                if code:
                    self.by_code[code] = participant
            for name in participant.names:
                if name:
                    self.by_name.setdefault(normalise_for_search(name).strip(), participant)

    def find(self, name):
        """``(participant, None)`` or ``(None, message)``: a code or a whole name finds one; a
        part of names several participants share is ambiguous; else the message suggests."""
        if code_of(name) in self.by_code:
            return self.by_code[code_of(name)], None
        key = normalise_for_search(name).strip()
        if key in self.by_name:
            return self.by_name[key], None
        words = set(re.findall(r"\w+", key))
        containing = [p for p in self.all if words and words <= self._words(p)]
        if len(containing) > 1:
            listed = cldr.join([p.name for p in containing], style="or")
            return None, gettext(AMBIGUOUS).format(name=name, candidates=listed)
        suggestions = [p.name for p in containing or self.suggestions(name)]
        if suggestions:
            listed = cldr.join(suggestions, style="or")
            return None, gettext(UNKNOWN_DID_YOU_MEAN).format(name=name, suggestions=listed)
        return None, gettext(UNKNOWN_PARTICIPANT).format(name=name)

    def suggestions(self, name, limit=3):
        """The participants whose names are closest to one that finds nothing (“Czech Rep.” →
        Czech Republic)."""
        key = normalise_for_search(name).strip()
        close = difflib.get_close_matches(key, self.by_name, n=limit, cutoff=0.75)
        if not close:
            first = key.split(" ")[0]
            close = [k for k in self.by_name if len(first) >= 4 and k.startswith(first)][:limit]
        return list(dict.fromkeys(self.by_name[k] for k in close))

    @staticmethod
    def _words(participant):
        return set(re.findall(r"\w+", participant.search_name))
