from django.contrib import admin

from .models import Export


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    """Read-only: exports are made and removed only through the services (and audited there)."""

    list_display = ("id", "requested_by", "kind", "period_start", "period_end", "party", "status", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Export._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
