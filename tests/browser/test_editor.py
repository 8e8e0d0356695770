"""An editor records an endorsement in the admin; the list, the map and the changes show it."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(site, django_user_model):
    """A member of the Editors group, as the README says to make one.

    The live server's tests flush the database, group included: it is made again here with the
    permissions its migration gives it.
    """
    roles = import_module("signatories.migrations.0002_editors_group")
    group, _ = Group.objects.get_or_create(name=roles.EDITORS)
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in roles.codenames()
    )
    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(group)
    return user


def test_editor_records_an_endorsement_and_the_public_pages_show_it(page, editor):
    page.goto("/")
    endorsers = int(page.locator(".headline .figure").inner_text())

    page.goto(reverse("admin:signatories_endorsement_add"))
    page.get_by_label("Username:").fill("editor")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Add endorsement")).to_be_visible()

    page.locator(".field-participant .select2-selection").click()  # the autocomplete
    page.locator(".select2-search__field").fill("Brazil")
    page.locator(".select2-results__option", has_text="Brazil").click()
    page.get_by_label("Endorsement date:").fill("2023-05-04")
    page.locator("#id_sources-0-url").fill("https://example.org/brazil-endorses")
    page.locator("#id_sources-0-title").fill("Foreign ministry statement")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    page.goto(reverse("signatories:participant-list"))
    expect(page.locator('tr[data-slug="brazil"]')).to_have_attribute("data-status", "endorsed")
    expect(page.locator('tr[data-slug="brazil"] time')).to_have_text("4 May 2023")

    page.goto("/")
    expect(page.locator(".headline .figure")).to_have_text(str(endorsers + 1))
    page.wait_for_function(
        """() => document.querySelector("figure.map object")
            .contentDocument?.querySelector('[data-code="BR"]')?.dataset.status === "endorsed" """
    )

    page.goto(reverse("signatories:participant-detail", args=["brazil"]))
    source = page.locator("ul.sources a")
    expect(source).to_have_text("Foreign ministry statement")
    expect(source).to_have_attribute("href", "https://example.org/brazil-endorses")

    page.goto(reverse("signatories:changes"))
    expect(page.get_by_role("row").nth(1)).to_contain_text("Brazil")  # the newest change
