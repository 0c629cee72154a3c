import hashlib
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.identifiers import email_normalise
from apps.core.roles import Role
from apps.organisation.models import Area, Estate, HousingOrganisation


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str | None, password: str | None, **fields) -> "User":
        email = email_normalise(email) if email else None
        user = self.model(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str | None = None, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        # E-mail login is case-insensitive.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: coordinator, ambassador, board member, interviewer or admin.

    Many ambassadors have no e-mail address and sign in with a link sent by SMS, so either the
    e-mail or the phone number must be set.
    """

    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    full_name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True, help_text=_("E.164, e.g. +4512345678"))
    language = models.CharField(
        _("language"), max_length=10, default="da", help_text=_("Language of the pages and messages")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_unique_email_ci",
                violation_error_message=_("Another person already has this e-mail address."),
            ),
            models.UniqueConstraint(
                fields=["phone"],
                condition=~Q(phone=""),
                name="user_unique_phone",
                violation_error_message=_("Another person already has this mobile number."),
            ),
            models.CheckConstraint(
                condition=Q(email__isnull=False) | ~Q(phone=""),
                name="user_has_email_or_phone",
                violation_error_message=_("Give an e-mail address or a mobile number."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone

    def clean(self) -> None:
        super().clean()
        # Stored in the one spelling sign-in and the lock-out use, whichever form edits the user.
        if self.email:
            self.email = email_normalise(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""


class Membership(models.Model):
    """A role a user holds in one area. Board members are further limited to their estates."""

    Role = Role  # the vocabulary lives in core, so the policy engine needs no model

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("area"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    estates = models.ManyToManyField(
        Estate,
        blank=True,
        related_name="board_memberships",
        verbose_name=_("estates"),
        help_text=_("For board members: the estates whose figures they may see."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["area__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "role"], name="membership_unique_role_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area}"


class LoginLink(models.Model):
    """A one-time sign-in link. Only a hash of the token is stored, so a database leak signs nobody in."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_links")
    token_hash = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class MembershipInvitation(models.Model):
    """A coordinator asked an existing person to take a role in their area; nothing changes until they say yes.

    Made when an invitation's e-mail or mobile number belongs to someone who has no role in the area yet
    (an ambassador, a coordinator or an admin elsewhere). The inviting area sees only what its coordinator
    typed (`full_name`, `email`, `phone`), never the person's own details; the person is asked through the
    outbox and on their start page. Accepting grants the membership and removes this row; declining or
    letting it lapse (`INVITATION_DAYS`) removes it.
    """

    INVITATION_DAYS = 30

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="membership_invitations", verbose_name=_("person asked")
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="membership_invitations", verbose_name=_("area")
    )
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    # What the inviting coordinator typed: the only details their area sees until the person accepts.
    full_name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invited by")
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    sent_at = models.DateTimeField(_("last asked"), null=True, blank=True)

    class Meta:
        ordering = ["-invited_at"]
        verbose_name = _("invitation to an area")
        verbose_name_plural = _("invitations to an area")
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "role"], name="membership_invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.get_role_display()} · {self.area}"

    @property
    def expires_at(self) -> datetime:
        return self.invited_at + timedelta(days=self.INVITATION_DAYS)


# --- Issue 18: the programme lead (evaluator) of a housing organisation ---


class ProgrammeLead(models.Model):
    """A read-only role across one housing organisation's survey rounds: the pooled figures, trends and
    report, never a name, address, phone or free text. Granted by an admin (the Django admin or
    `manage.py grant_programme_lead`); the person has no area membership, so every area page refuses them."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="programme_lead_roles", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        HousingOrganisation,
        on_delete=models.CASCADE,
        related_name="programme_leads",
        verbose_name=_("housing organisation"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__full_name"]
        verbose_name = _("programme lead")
        verbose_name_plural = _("programme leads")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="programme_lead_unique_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"
