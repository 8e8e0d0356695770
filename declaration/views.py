"""What the declaration says."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Basis, Declaration, Pillar


def declaration_detail(request, slug):
    """A declaration's pillars and numbered commitments, each marked with how sure it is, and the
    forums it names."""
    declaration = get_object_or_404(
        Declaration.objects.prefetch_related(
            Prefetch("pillars", queryset=Pillar.objects.prefetch_related("commitments")),
            "forums",
        ),
        slug=slug,
    )
    context = {"declaration": declaration, "bases": list(Basis)}
    return render(request, "declaration/declaration_detail.html", context)
