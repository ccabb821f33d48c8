from django.contrib import admin

from .models import Assignment, Body, Party


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation")


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0


admin.site.register(Assignment)
