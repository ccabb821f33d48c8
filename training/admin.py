from django import forms
from django.contrib import admin
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.models import Reminder

from .models import (
    CollaborationMeeting,
    Completion,
    Course,
    ExtraElection,
    MeetingInvitee,
    RevisionTask,
    SecurityConversation,
    Session,
    TrainingOffer,
)


@admin.register(ExtraElection)
class ExtraElectionAdmin(admin.ModelAdmin):
    list_display = ("election_date", "description", "targeted_training", "recorded_by")
    readonly_fields = ("recorded_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "format", "target_group", "is_active")
    list_filter = ("kind", "format", "is_active")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("starts_at", "ends_at", "place", "capacity", "status")
    readonly_fields = ("status",)


@admin.register(TrainingOffer)
class TrainingOfferAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "term", "period", "opens_on", "closes_on", "required")
    list_filter = ("kind", "term", "required")
    inlines = [SessionInline]


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ("official", "offer", "completed_on", "source")
    raw_id_fields = ("official", "offer", "session")


@admin.register(SecurityConversation)
class SecurityConversationAdmin(admin.ModelAdmin):
    list_display = ("official", "reason", "term", "period", "status", "due_by", "held_on")
    list_filter = ("status", "reason", "term")
    raw_id_fields = ("official",)
    exclude = ("notes",)  # security-unit notes are read and written in the app, where reads are audited


class InviteeInline(admin.TabularInline):
    model = MeetingInvitee
    extra = 0


@admin.register(CollaborationMeeting)
class CollaborationMeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "term", "number", "planned_for", "status")
    list_filter = ("status", "term")
    inlines = [InviteeInline]


@admin.register(RevisionTask)
class RevisionTaskAdmin(admin.ModelAdmin):
    list_display = ("term", "election_date", "due_by", "status", "done_on")


class RoleFilter(admin.SimpleListFilter):
    """A reminder's role by its name (core's Reminder knows no roles)."""

    title = _("for role")
    parameter_name = "recipients_role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(recipients_role=self.value()) if self.value() else queryset


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("due_on", "kind", "role", "recipient", "message", "done_at")
    list_filter = ("kind", RoleFilter)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "recipients_role":
            return forms.ChoiceField(label=db_field.verbose_name, choices=BLANK_CHOICE_DASH + Role.choices,
                                     required=False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("for role"), ordering="recipients_role")
    def role(self, reminder):
        return Role(reminder.recipients_role).label if reminder.recipients_role in Role.values else ""
