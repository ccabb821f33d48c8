from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core import planner
from core.audit import audit_change
from core.models import AuditEvent

from .models import Policy, User


def warn_approval_gaps(request, policy: Policy | None) -> None:
    """A warning message for each reason the active policy's proposals could not be decided."""
    from .selectors import approval_gaps

    if policy is not None and policy.is_active:
        for gap in approval_gaps(policy):
            messages.warning(request, gap)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Värn"), {"fields": ("party", "body", "language")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_active")
    list_filter = ("is_active", "groups")

    def save_related(self, request, form, formsets, change):
        """After the roles (groups) are saved: warn when the active policy's proposals could no
        longer be decided (the last holder of the deciding role removed or deactivated)."""
        super().save_related(request, form, formsets, change)
        warn_approval_gaps(request, Policy.objects.filter(is_active=True).first())


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    """The policy is validated on save (`Policy.clean`); the active one is also checked against
    the accounts as they stand, and the administrator warned when proposals could not be decided
    (the same warnings are on the administrator's home page)."""

    list_display = ("municipality_name", "profile", "approver_title", "approver_role", "is_active", "updated_at")

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            warn_approval_gaps(request, Policy.objects.filter(is_active=True).first())
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and str(object_id).isdigit():
            warn_approval_gaps(request, Policy.objects.filter(pk=int(object_id)).first())
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_change(actor=request.user, action="policy_change" if change else "policy_add", obj=obj,
                     to_state=obj.profile, reason=",".join(sorted(form.changed_data))[:200])
        warn_approval_gaps(request, obj)
        # A changed policy takes effect today: the planner listens (core.planner.policy_changed).
        planner.policy_changed.send(sender=Policy, policy=obj, actor=request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only. The security unit browses it at
    accounts:audit-list (filters, CSV export); this view is for the system owner."""

    list_display = ("created_at", "actor", "kind", "action_name", "object_type", "object_id", "case_id",
                    "official_id", "from_state", "to_state")
    list_filter = ("kind",)
    list_select_related = ("actor",)
    search_fields = ("action", "object_id", "actor__username")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, obj: AuditEvent) -> str:
        return obj.action_label


# The second factors are managed on Värn's own pages (enrolment, recovery codes, the
# administrator's reset). django-otp's admin would show device secrets and QR codes, and its
# config views fail with a server error for an unknown id, so it is not offered.
def _unregister_otp_admin() -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_otp_admin()
