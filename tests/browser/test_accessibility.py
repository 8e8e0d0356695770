"""axe-core in every public page: no serious or critical violation."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

LIST = reverse("signatories:participant-list")
PUBLIC_PAGES = [
    reverse("signatories:home"),
    reverse("signatories:home") + "?as_of=2022-13-45",  # the date control's error
    LIST,
    f"{LIST}?region=150&endorsed_after=2022-05-01",
    f"{LIST}?q=no+such+participant",  # no row: the empty state
    f"{LIST}?q=Turky",  # no row, with suggestions
    f"{LIST}?endorsed_after=not-a-date",  # the form's error messages
    reverse("signatories:participant-detail", args=["norway"]),
    reverse("signatories:participant-detail", args=["brazil"]),  # no endorsement
    reverse("signatories:participant-detail", args=["norway"]) + "?as_of=2022-05-01",
    reverse("signatories:region-list"),
    reverse("signatories:forum-list"),
    reverse("signatories:forum-detail", args=["oecd"]),
    reverse("signatories:forum-detail", args=["igf"]),  # no member list
    reverse("signatories:changes"),
    reverse("signatories:compare") + "?from=2022-04-28&to=2022-11-02",
    reverse("signatories:methods"),
    reverse("declaration:detail", args=["dfi"]),
    reverse("data:docs"),
    reverse("data:embed-map") + "?region=150",
    reverse("data:embed-figures"),
]
# Swagger UI draws the API's documentation inside #swagger-ui with its own markup and colours;
# axe checks the rest of that page (ours).
NOT_OURS = {reverse("data:docs"): ["#swagger-ui"]}
RUN_AXE = """async (exclude) => {
    const results = await axe.run({exclude: exclude}, {resultTypes: ["violations"]});
    return results.violations
        .filter((violation) => ["serious", "critical"].includes(violation.impact))
        .map((violation) => ({
            rule: violation.id,
            impact: violation.impact,
            help: violation.help,
            where: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
        }));
}"""


def test_no_serious_or_critical_violation_in_any_public_page(axe_source, open_page):
    # The pages allow no inline script (CSP); axe is injected as one, so this context lets it in.
    page = open_page(bypass_csp=True)
    found = {}
    for url in PUBLIC_PAGES:
        page.goto(url)
        page.add_script_tag(path=axe_source)
        if violations := page.evaluate(RUN_AXE, NOT_OURS.get(url, [])):
            found[url] = violations
    assert found == {}
