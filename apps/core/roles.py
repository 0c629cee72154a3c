"""The roles a person can hold in an area. The vocabulary lives on the ground floor so the policy
engine and the menu can speak of roles without importing `accounts`; `Membership.role` stores them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    AMBASSADOR = "ambassador", _("Ambassador")
    BOARD = "board", _("Board member")
    INTERVIEWER = "interviewer", _("Interviewer")
