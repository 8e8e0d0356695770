"""Each question a visitor asks is answered by a page reachable from the home page."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from signatories.models import Participant
from signatories.services import withdraw_endorsements
from tests.factories import WITHDRAWAL_SOURCE, DeclarationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("signatories:participant-list")
LICENCE = "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)."


def rows(response):
    """The participants a list page shows, in order (slugs of the table rows)."""
    assert response.status_code == 200
    return re.findall(r'<tr data-slug="([^"]+)"', response.content.decode())


def statuses(response):
    return dict(
        re.findall(r'<tr data-slug="([^"]+)" data-status="([^"]+)"', response.content.decode())
    )


def text(response):
    """The page as a visitor reads it: inline tags vanish, block tags separate words."""
    inline = re.sub(r"</?(?:a|strong|span|time|em|code)\b[^>]*>", "", response.content.decode())
    visible = re.sub(r"<[^>]+>", " ", inline)
    return re.sub(r"\s+", " ", html.unescape(visible))


def test_home_shows_headline_figures_by_entity_type_and_latest(client):
    response = client.get("/")
    page = text(response)
    assert "67 endorsers, 1 of them disputed, of 198 participants." in page
    assert "State (UN member or observer) 64 195" in page
    assert "Other state or territory 2 2" in page
    assert "Regional organisation 1 1" in page
    assert "1 disputed" in page and "131 not endorsed" in page
    latest = page[page.index("Latest endorsements") :]
    assert latest.index("Norway") < latest.index("Senegal") < latest.index("Albania")


def test_home_links_to_every_page(client):
    page = client.get("/").content.decode()
    for name in ["participant-list", "region-list", "forum-list"]:
        assert f'href="{reverse(f"signatories:{name}")}"' in page
    assert f'href="{reverse("declaration:detail", args=["dfi"])}"' in page
    assert 'data="/map.svg' in page


def test_a_programmer_finds_the_api_and_its_documentation_from_the_home_page(client):
    page = client.get("/").content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert f'<a href="{reverse("data:api-root")}">API</a>' in footer
    assert f'<a href="{reverse("data:docs")}">API documentation</a>' in footer


def test_list_shows_the_67_endorsers_by_default(client):
    response = client.get(LIST)
    assert len(rows(response)) == 67
    assert "67 participants match" in text(response)


def test_region_includes_its_subregions(client):
    response = client.get(LIST, {"region": "150"})
    assert "norway" in rows(response)
    assert "japan" not in rows(response)
    assert "in Europe (150)" in text(response)


def test_record_as_of_a_date_leaves_out_later_endorsements(client):
    response = client.get(LIST, {"region": "150", "as_of": "2022-05-01"})
    assert "norway" not in rows(response)
    assert "albania" in rows(response)
    assert "as of 1 May 2022" in text(response)


def test_withdrawals_apply_from_their_date(client, dfi):
    norway = Participant.objects.get(name="Norway").endorsements.get()
    withdraw_endorsements(
        sources=[WITHDRAWAL_SOURCE], endorsements=[norway], withdrawn_on="2024-01-10"
    )
    assert statuses(client.get(LIST, {"as_of": "2024-01-09"}))["norway"] == "endorsed"
    assert statuses(client.get(LIST, {"as_of": "2024-01-10"}))["norway"] == "withdrawn"
    assert rows(client.get(LIST, {"status": "withdrawn"})) == ["norway"]


def test_who_in_africa_has_not_endorsed(client):
    response = client.get(LIST, {"status": "none", "region": "002"})
    assert "nigeria" in rows(response)
    assert "kenya" not in rows(response)
    assert "cabo-verde" not in rows(response)
    assert len(rows(response)) == 50


def test_status_is_repeatable(client):
    response = client.get(LIST + "?status=disputed&status=withdrawn")
    assert rows(response) == ["kenya"]


def test_between_two_dates(client):
    response = client.get(LIST, {"endorsed_after": "2022-04-29", "endorsed_before": "2022-11-01"})
    assert rows(response) == ["senegal"]


def test_forum_members_and_coverage(client):
    response = client.get(LIST, {"forum": "g7"})
    assert set(rows(response)) == {
        "canada", "european-commission", "france", "germany", "italy", "japan",
        "united-kingdom", "united-states",
    }  # fmt: skip
    assert (
        "Group of Seven (G7): 7 of 7 members endorsed; the EU, through the European "
        "Commission, also endorsed."
    ) in text(response)


def test_forum_membership_follows_the_record_date(client):
    response = client.get(LIST, {"forum": "foc", "as_of": "2026-03-01"})
    assert "united-states" not in rows(response)
    response = client.get(LIST, {"forum": "foc", "as_of": "2025-03-01"})
    assert "united-states" in rows(response)


def test_entity_type(client):
    response = client.get(LIST, {"entity_type": "limited_recognition"})
    assert rows(response) == ["kosovo", "taiwan"]
    response = client.get(LIST, {"entity_type": "limited_recognition", "status": "none"})
    assert rows(response) == []  # Palestine, a UN observer state, is a state


def test_name_search_ignores_accents_and_finds_non_endorsers(client):
    assert rows(client.get(LIST, {"q": "cote"})) == ["cote-divoire"]
    assert rows(client.get(LIST, {"q": "CÔTE d'iv"})) == ["cote-divoire"]


def test_sort_by_latest_endorsement_puts_prague_first(client):
    order = rows(client.get(LIST, {"sort": "-endorsed_on"}))
    assert set(order[:5]) == {
        "bosnia-and-herzegovina", "liechtenstein", "monaco", "norway", "san-marino",
    }  # fmt: skip
    assert order[5] == "senegal"


def test_sort_by_name_and_region(client):
    order = rows(client.get(LIST, {"sort": "-name"}))
    assert order[0] == "uruguay" and order[-1] == "albania"
    order = rows(client.get(LIST, {"sort": "region"}))
    assert order[0] == "australia"  # Australia and New Zealand comes first alphabetically


def test_column_headers_link_to_sorting_and_keep_the_filters(client):
    page = client.get(LIST, {"region": "150"}).content.decode()
    assert 'href="?region=150&amp;sort=-name"' in page
    assert 'href="?region=150&amp;sort=-endorsed_on"' in page


def test_nothing_matches_explains_why(client):
    response = client.get(LIST, {"q": "atlantis"})
    assert rows(response) == []
    assert "0 participants match" in text(response)
    assert "No participant matches all of these filters." in text(response)


def test_participant_page_shows_the_record(client):
    response = client.get(reverse("signatories:participant-detail", args=["senegal"]))
    page = text(response)
    assert "on the list by 29 April 2022" in page
    assert "Endorsed" in page
    assert "Launch" not in page  # no source credits it to the launch event
    assert "listed in its revision of 29 April 2022" in page
    assert "White House fact sheet, as revised on 29 April 2022" in page
    assert "Official list or statement, The White House" in page
    assert "Support 2 independent sources" in page
    content = response.content.decode()
    assert 'href="https://web.archive.org/web/20220429195700/https://www.whitehouse.gov/' in content
    assert 'href="https://www.malwarebytes.com/blog/news/2022/05/' in content
    assert 'target="_blank" rel="noopener noreferrer"' in content


def test_kenya_page_shows_the_dispute_and_its_source(client):
    response = client.get(reverse("signatories:participant-detail", args=["kenya"]))
    page = text(response)
    assert "Disputed" in page
    assert "had not gone through its processes" in page
    assert "kbc.co.ke" in response.content.decode()
    assert "Freedom Online Coalition (FOC)" in page


def test_participant_page_shows_public_history_without_staff_names(client, admin_user):
    norway = Participant.objects.get(name="Norway").endorsements.get()
    withdraw_endorsements(
        sources=[WITHDRAWAL_SOURCE], endorsements=[norway], withdrawn_on="2024-01-10"
    )
    norway.history.filter(history_type="~").update(history_user=admin_user)
    page = text(client.get(reverse("signatories:participant-detail", args=["norway"])))
    assert "status: endorsed → withdrawn" in page
    assert "withdrawal date: — → 10 January 2024" in page
    assert "admin" not in page


def test_non_endorser_page_says_so(client):
    page = text(client.get(reverse("signatories:participant-detail", args=["brazil"])))
    assert "Brazil has not endorsed the Declaration for the Future of the Internet." in page
    assert "G20" in page


def test_european_commission_page(client):
    page = text(client.get(reverse("signatories:participant-detail", args=["european-commission"])))
    assert "Kind Regional organisation" in page
    assert "ISO 3166-1 codes none" in page


@pytest.mark.parametrize(
    ("slug", "kind"),
    [
        ("taiwan", "Other state or territory"),
        ("kosovo", "Other state or territory"),
        ("palestine", "UN observer state"),
        ("holy-see", "UN observer state"),
        ("norway", "UN member state"),
    ],
)
def test_kinds_describe_status_without_taking_sides(client, slug, kind):
    page = text(client.get(reverse("signatories:participant-detail", args=[slug])))
    assert f"Kind {kind}" in page
    assert "recognition" not in page.lower()


def test_the_old_kind_values_in_addresses_still_work_and_read_neutrally(client):
    response = client.get(LIST, {"entity_type": "limited_recognition", "status": "none"})
    assert response.status_code == 200
    assert set(statuses(client.get(LIST, {"entity_type": "limited_recognition"}))) == {
        "kosovo",
        "taiwan",
    }
    page = text(client.get(LIST, {"entity_type": "limited_recognition"}))
    assert "other state or territory" in page.lower() and "limited recognition" not in page
    rows = {
        row["slug"]: row["kind"]
        for row in client.get(LIST, {"entity_type": "state", "q": "palestine"}).context["rows"]
    }
    assert rows == {"palestine": "UN observer state"}


def test_unknown_participant_is_404(client):
    url = reverse("signatories:participant-detail", args=["atlantis"])
    assert client.get(url).status_code == 404


def test_forums_page_shows_coverage(client):
    response = client.get(reverse("signatories:forum-list"))
    page = text(response)
    assert (
        "Group of Seven (G7) Intergovernmental 7 of 7 members endorsed; the EU, through the "
        "European Commission, also endorsed."
    ) in page
    assert (
        "United Nations (UN) Intergovernmental 64 of 193 members endorsed (1 of them disputed)."
    ) in page
    assert (
        "World Trade Organization (WTO) Intergovernmental 57 of 163 members endorsed (1 of them "
        "disputed); the EU, through the European Commission, also endorsed. Members that are "
        "not participants here: Hong Kong, China; Macao, China."
    ) in page
    assert (
        "The list of members recorded here is incomplete: the coalition reported 42 members "
        "before the United States left in 2026."
    ) in page
    assert "no member states to list" in page


def test_forum_page_lists_members_with_status(client):
    response = client.get(reverse("signatories:forum-detail", args=["g20"]))
    page = text(response)
    assert (
        "9 of 19 members endorsed; the EU, through the European Commission, also endorsed. "
        "Members that are not participants here: African Union."
    ) in page
    status = statuses(response)
    assert status["china"] == "none" and status["japan"] == "endorsed"
    assert len(status) == 20


def test_forum_page_on_a_date(client):
    url = reverse("signatories:forum-detail", args=["oecd"])
    response = client.get(url, {"as_of": "2020-01-01"})
    assert "costa-rica" not in statuses(response)  # joined on 25 May 2021


def test_regions_page_gives_endorsed_and_total_with_links(client):
    response = client.get(reverse("signatories:region-list"))
    page = response.content.decode()
    europe = re.search(r'<tr class="depth-0" data-region="150">(.*?)</tr>', page, re.S).group(1)
    assert re.search(r">41</a>", europe) and re.search(r">45</a>", europe)
    assert f'href="{LIST}?region=150&amp;status=endorsed&amp;status=disputed"' in europe
    western_africa = re.search(r'data-region="011">(.*?)</tr>', page, re.S).group(1)
    assert ">3</a>" in western_africa and ">16</a>" in western_africa


def test_declaration_page_lists_pillars_commitments_and_forums(client):
    response = client.get(reverse("declaration:detail", args=["dfi"]))
    page = text(response)
    assert "1. Protection of Human Rights and Fundamental Freedoms" in page
    assert "5. Multistakeholder Internet Governance" in page
    assert page.count("Internet Governance Forum (IGF)") == 1
    content = response.content.decode()
    assert content.count("<li value=") == 23
    assert '<li value="23">' in content
    assert "Declaration-for-the-Future-for-the-Internet.pdf" in content


def test_pages_have_titles_breadcrumbs_and_landmarks(client):
    pages = [LIST, "/participants/norway/", "/forums/", "/forums/g7/", "/regions/"]
    for url in [*pages, "/declarations/dfi/"]:
        page = client.get(url).content.decode()
        assert re.search(r"<title>[^<]+ · Declaration tracker</title>", page), url
        assert 'aria-label="Breadcrumb"' in page, url
        assert "<main" in page and "<header" in page and "<footer" in page, url
        assert 'class="skip-link"' in page, url


def test_filter_controls_are_labelled(client):
    page = client.get(LIST).content.decode()
    for name in ["q", "region", "entity_type", "endorsed_after", "endorsed_before", "as_of"]:
        assert re.search(rf'<label for="id_{name}"', page), name
    assert "<legend" in page  # the checkbox groups (status, forum) are fieldsets
    assert '<th scope="col"' in page and '<th scope="row"' in page


def test_print_stylesheet_is_linked_and_states_filters(client):
    page = client.get(LIST, {"region": "150"}).content.decode()
    assert 'media="print"' in page
    assert 'class="print-only">Printed on' in page
    assert "showing participants in Europe (150)" in text(client.get(LIST, {"region": "150"}))


def test_no_page_loads_anything_from_another_site(client):
    for url in ["/", LIST, "/participants/norway/", "/regions/", "/forums/", "/declarations/dfi/"]:
        page = client.get(url).content.decode()
        # The page in other languages, on this site: named (absolute, as hreflang asks), not loaded.
        page = re.sub(r'<link rel="alternate" hreflang="[^"]+" href="http://testserver/', "", page)
        for attr in re.findall(r'(?:src|data|href)="([^"]+)"', page):
            if attr.startswith(("http://", "https://", "//")):
                # Only links a visitor follows may leave the site; nothing is loaded from elsewhere.
                assert re.search(rf'<a [^>]*href="{re.escape(attr)}"', page), (url, attr)
        loaded = r'<(?:script|link|img|object)[^>]+(?:src|href|data)="(?:https?:)?//'
        assert not re.search(loaded, page)


def test_list_links_to_exports_with_its_parameters(client):
    page = client.get(LIST, {"region": "150", "as_of": "2022-06-01"}).content.decode()
    for path in ["export.csv", "export.xlsx", "export.json"]:
        assert f'href="/participants/{path}?region=150&amp;as_of=2022-06-01"' in page
    assert 'href="/feeds/endorsements.atom?region=150&amp;as_of=2022-06-01"' in page


def test_export_links_leave_out_parameters_the_list_ignored(client):
    response = client.get(LIST, {"region": "999", "status": "endorsed", "as_of": "someday"})
    page = response.content.decode()
    assert 'href="/participants/export.csv?status=endorsed"' in page
    assert client.get("/participants/export.csv?status=endorsed").status_code == 200
    assert 'href="/participants/export.json"' in client.get(LIST, {"region": "x"}).content.decode()


@pytest.mark.parametrize("slug", ["igf", "icann"])
def test_forum_without_a_member_list_shows_its_page(client, slug):
    response = client.get(reverse("signatories:forum-detail", args=[slug]))
    assert response.status_code == 200
    assert 'data-slug="' not in response.content.decode()


def test_the_filter_options_are_kept_per_data_version_and_follow_every_change(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DeclarationFactory

    with CaptureQueriesContext(connection) as first:
        page = client.get(LIST).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert client.get(LIST).content.decode() == page
    assert len(again) < len(first)  # the option lists came from the fragment cache
    DeclarationFactory(short_name="Budapest Call", slug="budapest-call")
    assert (
        '<option value="budapest-call">Budapest Call</option>' in client.get(LIST).content.decode()
    )


def test_an_editor_with_a_session_sees_fresh_options_too(admin_client, dfi):
    admin_client.get(LIST)
    dfi.short_name = "DFI 2022"
    dfi.save()
    assert (
        '<option value="dfi" selected>DFI 2022</option>'
        in admin_client.get(LIST, {"declaration": "dfi"}).content.decode()
    )


def test_a_participant_page_shows_the_record_as_of_a_day_as_the_list_does(client, dfi):
    peru = Participant.objects.get(slug="peru").endorsements.get()
    withdraw_endorsements(
        sources=[WITHDRAWAL_SOURCE], endorsements=[peru], withdrawn_on="2024-01-10"
    )
    page = reverse("signatories:participant-detail", args=["peru"])
    for day, status in [("2024-01-09", "endorsed"), ("2024-01-10", "withdrawn")]:
        assert statuses(client.get(LIST, {"as_of": day, "status": status}))["peru"] == status
        shown = text(client.get(page, {"as_of": day}))
        assert f"Status {status.capitalize()}" in shown
        assert "The record as it stood at the end of" in shown
    today = text(client.get(page))
    assert "Status Withdrawn since 10 January 2024" in today
    assert "as it stood" not in today


def test_before_its_endorsement_a_participant_had_not_endorsed(client):
    shown = text(
        client.get(
            reverse("signatories:participant-detail", args=["norway"]), {"as_of": "2022-05-01"}
        )
    )
    assert (
        "Norway had not endorsed the Declaration for the Future of the Internet by 1 May 2022"
        in shown
    )
    assert "Status" not in shown.split("Forum memberships")[0]


def test_a_bad_as_of_on_a_participant_page_is_said_and_today_shown(client):
    response = client.get(
        reverse("signatories:participant-detail", args=["norway"]), {"as_of": "2022-13-45"}
    )
    assert response.status_code == 200
    shown = text(response)
    assert "Enter a date as YYYY-MM-DD" in shown and "Status Endorsed" in shown


def test_links_made_on_an_as_of_page_keep_the_day(client):
    as_of = {"as_of": "2022-05-01"}
    listing = client.get(LIST, {**as_of, "region": "150"}).content.decode()
    assert 'href="/participants/albania/?as_of=2022-05-01"' in listing
    home = client.get(reverse("signatories:home"), as_of).content.decode()
    assert '/?as_of=2022-05-01"' in home
    world = client.get(reverse("signatories:map"), as_of).content.decode()
    assert 'href="/participants/albania/?as_of=2022-05-01"' in world
    peru = client.get(
        reverse("signatories:participant-detail", args=["peru"]), as_of
    ).content.decode()
    assert "/participants/?as_of=2022-05-01&amp;region=019" in peru
    regions = client.get(reverse("signatories:region-list"), as_of).content.decode()
    assert 'href="/participants/?region=150&amp;as_of=2022-05-01"' in regions
    forums = client.get(reverse("signatories:forum-list"), as_of).content.decode()
    assert 'href="/forums/g7/?as_of=2022-05-01"' in forums
    g7 = client.get(reverse("signatories:forum-detail", args=["g7"]), as_of).content.decode()
    assert "/participants/?as_of=2022-05-01&amp;forum=g7" in g7


def test_regions_count_the_disputed_and_have_a_line_without_a_region(client):
    page = text(client.get(reverse("signatories:region-list")))
    assert "Africa (002) 4 (1 disputed) 54 7%" in page
    assert "Eastern Africa (014) 1 (1 disputed) 18 6%" in page
    assert "No UN M49 region 1 1 100%" in page


def test_the_methods_page_publishes_the_counting_rule_sources_licence_and_citation(client):
    from signatories.counting import RULES

    page = text(client.get(reverse("signatories:methods")))
    for title, words in RULES:
        assert f"{title} {words}" in page
    assert "White House fact sheet, 28 April 2022 61" in page
    assert page.index("Malwarebytes") < page.index("White House fact sheet")  # most cited first
    assert "Creative Commons Attribution 4.0" in page
    today = timezone.localdate()
    assert (
        "Declaration tracker, “Endorsements of the Declaration for the Future of the Internet”, "
        f"record as of {today:%-d %B %Y}, http://testserver/participants/?as_of={today:%Y-%m-%d}. "
        f"{LICENCE}"
    ) in page
    assert "“NA” is Namibia's ISO 3166 code, not a missing value" in page
    assert 'pandas.read_csv(url, keep_default_na=False, na_values=[""])' in page
    assert 'Link header (rel="cite-as")' in page
    assert "how they are counted" in text(client.get("/"))  # the footer links it everywhere


def citation(response):
    """The citation line a page offers, as a visitor reads it."""
    [line] = re.findall(r"Cite this \w+: .*?Licence: .*?\)\.", text(response))
    return line


def test_the_list_is_cited_with_its_day_an_address_showing_the_same_rows_and_the_licence(client):
    response = client.get(LIST, {"region": "150", "q": "", "sort": "-name", "as_of": "2022-04-30"})
    assert citation(response) == (
        "Cite this list: Declaration tracker, “Endorsements of the Declaration for the Future of "
        "the Internet”, record as of 30 April 2022, "
        f"http://testserver/participants/?region=150&sort=-name&as_of=2022-04-30. {LICENCE}"
    )
    page = response.content.decode()
    permalink = "http://testserver/participants/?region=150&amp;sort=-name&amp;as_of=2022-04-30"
    assert f'<a href="{permalink}">' in page
    assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">' in page
    cited = client.get("/participants/?region=150&sort=-name&as_of=2022-04-30")
    assert rows(cited) == rows(response)


def test_a_list_without_a_day_is_cited_as_of_today_and_bad_parameters_are_left_out(client):
    today = timezone.localdate()
    line = citation(client.get(LIST, {"region": "999", "status": "endorsed", "as_of": "someday"}))
    assert f"record as of {today:%-d %B %Y}, " in line
    assert f"http://testserver/participants/?status=endorsed&as_of={today:%Y-%m-%d}. " in line


def test_a_participant_page_is_cited_as_of_its_day(client):
    response = client.get(
        reverse("signatories:participant-detail", args=["norway"]), {"as_of": "2022-04-30"}
    )
    assert citation(response) == (
        "Cite this page: Declaration tracker, “Norway and the Declaration for the Future of the "
        "Internet”, record as of 30 April 2022, "
        f"http://testserver/participants/norway/?as_of=2022-04-30. {LICENCE}"
    )


def test_a_participant_page_about_several_declarations_is_cited_by_the_name_alone(client):
    DeclarationFactory()
    response = client.get(reverse("signatories:participant-detail", args=["norway"]))
    today = timezone.localdate()
    assert citation(response).startswith(
        f"Cite this page: Declaration tracker, “Norway”, record as of {today:%-d %B %Y}, "
        f"http://testserver/participants/norway/?as_of={today:%Y-%m-%d}. "
    )
