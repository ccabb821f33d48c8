from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.models import AuditEvent

from .models import Policy, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Värn"), {"fields": ("party", "body", "language")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_active")
    list_filter = ("is_active", "groups")


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("municipality_name", "profile", "is_active", "updated_at")


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
