"""The admin's import pages: upload a file, see what importing it would do, then confirm.

Served inside the admin (its login, layout and messages) beside the endorsements' pages
(``importing/urls.py``), for editors who may add and change endorsements.
"""

from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_noop

from declaration.models import Declaration
from signatories.models import Endorsement

from . import pending
from .forms import ImportForm
from .planning import PlanOutdated, apply_import, fingerprint, plan_import

TEMPLATE = "admin/signatories/endorsement/import.html"
UPLOAD_AGAIN = gettext_noop("The uploaded file is no longer available: upload it again.")
IMPORTED = gettext_noop("Import #{number} ({filename}) applied: {summary}.")


def import_endorsements(request):
    """Upload a file, see what importing it would do, then confirm: all rows or none."""
    endorsements = admin.site.get_model_admin(Endorsement)
    if not (
        endorsements.has_add_permission(request) and endorsements.has_change_permission(request)
    ):
        raise PermissionDenied
    if request.method == "POST" and "pending" in request.POST:
        return _confirm(request, endorsements)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        plan = plan_import(form.cleaned_data["declaration"], upload.name, content)
        return _preview(request, endorsements, form, plan, content)
    return TemplateResponse(
        request,
        TEMPLATE,
        endorsements.page_context(request, gettext("Import endorsements"), form=form),
        status=400 if form.errors else 200,
    )


def _preview(request, endorsements, form, plan, content, token=None):
    signed = None
    if not plan.has_errors:
        token = token or pending.keep(request.user, content)
        signed = signing.dumps(
            {
                "token": token,
                "filename": plan.filename,
                "declaration": plan.declaration.pk,
                "fingerprint": fingerprint(plan),
            },
            salt="import",
        )
    context = endorsements.page_context(
        request,
        gettext("Import endorsements: preview"),
        form=form,
        plan=plan,
        pending=signed,
        counts=plan.counts,
        problems=plan.all_problems,
    )
    return TemplateResponse(request, TEMPLATE, context, status=400 if plan.has_errors else 200)


def _confirm(request, endorsements):
    try:
        data = signing.loads(request.POST["pending"], salt="import", max_age=pending.MAX_AGE)
        declaration = Declaration.objects.get(pk=data["declaration"])
    except (signing.BadSignature, KeyError, TypeError, Declaration.DoesNotExist):
        data, declaration = {}, None
    content = pending.fetch(request.user, data.get("token")) if declaration else None
    if content is None:
        messages.error(request, gettext(UPLOAD_AGAIN))
        return redirect("importing:import")
    try:
        batch, plan = apply_import(
            declaration,
            data["filename"],
            content,
            user=request.user,
            expected=data["fingerprint"],
        )
    except PlanOutdated as outdated:
        messages.warning(request, str(outdated))
        form = ImportForm(initial={"declaration": declaration})
        return _preview(request, endorsements, form, outdated.plan, content, token=data["token"])
    pending.forget(request.user, data["token"])
    messages.success(
        request,
        gettext(IMPORTED).format(number=batch.pk, filename=batch.filename, summary=plan.summary()),
    )
    return redirect("admin:signatories_importbatch_change", batch.pk)
