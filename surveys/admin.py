"""The item bank and the national figures, edited by the administrator.

Codes are stable ids that keep rounds comparable: they can be set when an item or option is
added, never changed afterwards. Items and options that have been answered cannot be deleted
(the answers protect them): retire an item by unticking "asked in new rounds". Responses,
answers and invitations are not in the admin at all.
"""

from django.contrib import admin

from core.audit import audit_change

from .models import Item, NationalFigure, Option, Round


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ("code", "label_sv", "label_en", "position", "score")

    @staticmethod
    def _asked(obj) -> bool:
        return obj is not None and obj.rounds.exists()

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if self._asked(obj) else ()

    def has_add_permission(self, request, obj=None):
        """An item already asked keeps its options (add a new item instead)."""
        return super().has_add_permission(request, obj) and not self._asked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._asked(obj)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("code", "survey_type", "block", "kind", "tag", "text_sv", "is_active")
    list_filter = ("survey_type", "block", "kind", "tag", "is_active")
    search_fields = ("code", "text_sv", "text_en")
    ordering = ("survey_type", "position", "code")
    inlines = [OptionInline]
    fields = ("code", "survey_type", "block", "kind", "tag", "text_sv", "text_en", "position", "condition_items",
              "condition_options", "is_active")

    def get_readonly_fields(self, request, obj=None):
        return ("code", "survey_type") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_change(actor=request.user, action="survey_item_update" if change else "survey_item_create", obj=obj,
                     reason=", ".join(form.changed_data))


@admin.register(NationalFigure)
class NationalFigureAdmin(admin.ModelAdmin):
    list_display = ("year", "exposed_percent", "note_sv")


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Read-only overview: rounds are run from the security unit's pages."""

    list_display = ("__str__", "reference_year", "opens_on", "closes_on", "closed_early", "sealed")
    list_filter = ("survey_type",)
    readonly_fields = ("survey_type", "reference_year", "opens_on", "closes_on", "closed_early", "planned", "items",
                       "invited_on", "reminded_on", "sealed")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
