from django.contrib import admin

from .models import ChecklistTemplateItem


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin):
    """Read-only here: the template is edited in the app (riskanalyses:template-list), where every
    change is audited. Analyses are not in the admin at all: they are read and changed only through
    the app's permission checks."""

    list_display = ("position", "phase", "text", "responsible_role", "active")
    list_display_links = ("text",)
    list_filter = ("phase", "active")
    ordering = ("position", "id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
