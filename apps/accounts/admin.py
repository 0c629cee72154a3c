from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.identifiers import email_normalise
from apps.accounts.models import LoginLink, Membership, ProgrammeLead, User
from apps.audit.admin import AccessLoggedAdmin
from apps.audit.models import AccessLogEntry
from apps.core.phones import phone_normalise


class _ContactFieldsMixin:
    """Store e-mail lower-case and the phone in E.164, as the services do, so sign-in finds them."""

    def clean_email(self):
        email = self.cleaned_data.get("email")
        return email_normalise(email) if email else None

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return ""
        phone = phone_normalise(raw)
        if phone is None:
            raise forms.ValidationError(gettext("Enter a valid mobile number, e.g. 20 12 34 56."))
        return phone


class UserCreationForm(_ContactFieldsMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "phone", "language"]


class UserChangeForm(_ContactFieldsMixin, BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


def _user_subjects(users) -> list[tuple[int | None, int]]:
    """(area id, user id) for each area the person works in, so each area's coordinators see the entry;
    a person in no area gets an entry without one (the admin's own log still has it)."""
    pairs = []
    for user in users:
        areas = {membership.area_id for membership in user.memberships.all()} or {None}
        pairs.extend((area_id, user.pk) for area_id in sorted(areas))  # {None} alone, or area ids
    return pairs


class PersonAccessLoggedAdmin(AccessLoggedAdmin):
    access_kind = AccessLogEntry.SubjectKind.PERSON


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["area", "role", "estates", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["estates"]


@admin.register(User)
class UserAdmin(PersonAccessLoggedAdmin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "phone", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    # "usable_password" lets the admin create a user who signs in only with a link (most ambassadors).
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "phone", "language", "usable_password", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    list_display = ["full_name", "email", "phone", "language", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role", "memberships__area", "language"]
    search_fields = ["full_name", "email", "phone"]
    ordering = ["full_name"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships")  # their areas, for the access log

    def access_subjects(self, objects):
        return _user_subjects(objects)


@admin.register(Membership)
class MembershipAdmin(PersonAccessLoggedAdmin):
    list_display = ["user", "role", "area", "estate_list", "created_at"]
    list_filter = ["role", "area"]
    search_fields = ["user__full_name", "user__email", "user__phone"]
    list_select_related = ["user", "area"]
    autocomplete_fields = ["user", "estates"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("estates")

    @admin.display(description=_("estates"))
    def estate_list(self, obj: Membership) -> str:
        return ", ".join(estate.number for estate in obj.estates.all())

    def access_subjects(self, objects):
        return [(membership.area_id, membership.user_id) for membership in objects]


@admin.register(LoginLink)
class LoginLinkAdmin(PersonAccessLoggedAdmin):
    """When links were sent and used. The token hash is never shown: it is the only thing a link is checked by."""

    fields = ["user", "channel", "created_at", "expires_at", "used_at"]
    list_display = ["user", "channel", "created_at", "expires_at", "used_at"]
    list_filter = ["channel"]
    search_fields = ["user__full_name", "user__email", "user__phone"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user__memberships")  # for the access log

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def access_subjects(self, objects):
        return _user_subjects(link.user for link in objects)


# --- Issue 18: the programme lead (evaluator) ---


@admin.register(ProgrammeLead)
class ProgrammeLeadAdmin(PersonAccessLoggedAdmin):
    """Granted by an administrator here or with `manage.py grant_programme_lead` (which also sends a link)."""

    list_display = ["user", "organisation", "created_at"]
    list_filter = ["organisation"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]

    def access_subjects(self, objects):
        return [(None, role.user_id) for role in objects]
