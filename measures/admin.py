"""The system owner's view. Reference data (catalogue, checklist, alarm centres) is edited here
or on the app's own pages; measures, assessments, costs and alarm events are read-only here,
because every change of them goes through a service that checks, audits and notifies. Even
so, the database refuses a proposer deciding their own measure on every path (CheckConstraint
`measure_four_eyes`)."""

import secrets

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.audit import audit_change

from .models import (
    AlarmEvent,
    AlarmProvider,
    Assessment,
    Measure,
    MeasureCost,
    MeasureEvent,
    MeasureType,
    RiskFactor,
)
from .services.alarms import TOKEN_PREFIX, hash_token


class _SecurityUnitOnly(admin.ModelAdmin):
    """Case contents (assessments, measures, costs, alarm events) are for the security unit only:
    an administrator who is not also in the security unit does not read them, even as superuser."""

    def _allowed(self, request) -> bool:
        return request.user.is_active and request.user.has_role(Role.SECURITY_HANDLER)

    def has_module_permission(self, request):
        return self._allowed(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and super().has_change_permission(request, obj)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _Audited(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_change(actor=request.user, action=f"{obj._meta.model_name}_admin_save", obj=obj,
                     reason=",".join(form.changed_data))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeasureType)
class MeasureTypeAdmin(_Audited):
    list_display = ("name_sv", "name_en", "category", "alarm_kind", "technical", "requires_order", "typical_cost_sek",
                    "is_active", "position")
    list_editable = ("position",)
    list_filter = ("category", "is_active")


@admin.register(RiskFactor)
class RiskFactorAdmin(_Audited):
    list_display = ("code", "section", "text_sv", "text_en", "is_active", "position")
    list_filter = ("section", "is_active")


class MeasureEventInline(admin.TabularInline):
    model = MeasureEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "at", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Measure)
class MeasureAdmin(_SecurityUnitOnly):
    """Only descriptive fields can be corrected here; the workflow (status, who proposed, who
    decided, …) changes only through the services."""

    list_display = ("pk", "case", "measure_type", "status", "proposed_by", "decided_by", "estimated_cost_sek")
    list_filter = ("status", "measure_type")
    list_select_related = ("case", "measure_type", "proposed_by", "decided_by")
    inlines = [MeasureEventInline]
    fields = ("case", "measure_type", "status", "reason", "details", "estimated_cost_sek", "proposed_by",
              "proposed_at", "decided_by", "decided_at", "decision_reason", "ordered_by", "ordered_at", "ordered_via",
              "supplier", "order_reference", "in_place_on", "review_on", "alarm_identifier", "alarm_provider",
              "end_flagged_at", "end_flag_reason", "ended_at", "ended_by", "end_reason")
    readonly_fields = ("case", "measure_type", "status", "reason", "estimated_cost_sek", "proposed_by", "proposed_at",
                       "decided_by", "decided_at", "decision_reason", "ordered_by", "ordered_at", "ordered_via",
                       "in_place_on", "review_on", "alarm_identifier", "alarm_provider", "end_flagged_at",
                       "end_flag_reason", "ended_at", "ended_by", "end_reason")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_change(actor=request.user, action="measure_admin_save", obj=obj, case_id=obj.case_id,
                     reason=",".join(form.changed_data))


@admin.register(Assessment)
class AssessmentAdmin(_SecurityUnitOnly, _ReadOnly):
    list_display = ("case", "assessed_at", "level", "matrix_level", "assessed_by", "next_review_on")
    list_select_related = ("case", "assessed_by")


@admin.register(MeasureCost)
class MeasureCostAdmin(_SecurityUnitOnly, _ReadOnly):
    list_display = ("measure", "amount_sek", "booked_on", "booked_by")
    list_select_related = ("measure__measure_type", "booked_by")


@admin.register(AlarmEvent)
class AlarmEventAdmin(_SecurityUnitOnly, _ReadOnly):
    list_display = ("received_at", "provider", "event_id", "alarm_kind", "case", "acknowledged_at")
    list_select_related = ("provider", "case")


@admin.register(AlarmProvider)
class AlarmProviderAdmin(admin.ModelAdmin):
    """Adding an alarm centre makes its token, shown once in a message; only the hash is kept.
    The action "new token" replaces it (the old one stops working at once)."""

    list_display = ("name", "token_hint", "is_active", "created_at", "last_used_at")
    fields = ("name", "is_active", "token_hint", "created_at", "last_used_at")
    readonly_fields = ("token_hint", "created_at", "last_used_at")
    actions = ["new_token"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token = None
        if not change:
            token = TOKEN_PREFIX + secrets.token_urlsafe(32)
            obj.token_hash = hash_token(token)
            obj.token_hint = token[: len(TOKEN_PREFIX) + 4]
        super().save_model(request, obj, form, change)
        audit_change(actor=request.user, action="alarm_provider_create" if not change else "alarm_provider_update",
                     obj=obj, to_state="active" if obj.is_active else "inactive")
        if token:
            messages.warning(request, _("The alarm centre's token (copy it now: it is not shown again): %(token)s")
                             % {"token": token})

    @admin.action(description=_("Give the selected alarm centres a new token"))
    def new_token(self, request, queryset):
        from .services import alarm_provider_rotate_token

        for provider in queryset:
            _provider, token = alarm_provider_rotate_token(actor=request.user, provider=provider)
            messages.warning(request, _("New token for %(name)s (copy it now: it is not shown again): %(token)s")
                             % {"name": provider.name, "token": token})
