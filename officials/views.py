from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.audit import audit_read

from . import permissions, selectors


def official_list(request):
    permissions.require_registry(request.user)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.officials_list(search=search), 50).get_page(request.GET.get("page"))
    return render(request, "officials/official_list.html", {"page": page, "q": search})


def me(request):
    official = permissions.get_own_official(request.user)
    audit_read(actor=request.user, action="official_view_own", obj=official)
    return render(request, "officials/me.html", {
        "official": official,
        "consents": selectors.consents_in_force(official),
        "published": selectors.published_private_data(official),
    })
