"""`python manage.py seed_demo`: a fictional area to try the app with, on a development machine.

Every demo user has the same known password, so the command refuses to run unless DEBUG is on. The data
is built by `apps.demo.build`; run again, the command only prints the logins and fresh two-factor codes.
"""

import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.demo import login_table, two_factor_demo_build, two_factor_table
from apps.demo.build import DEMO_SLUG, SEED, demo_build
from apps.organisation.models import HousingOrganisation


class Command(BaseCommand):
    help = "Build a fictional demo area with estates, tenancies and users of every role (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo runs only with DEBUG on: every demo user has the same known password.")
        if HousingOrganisation.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("Demo data already present.")
        else:
            self.build()
        devices = two_factor_demo_build()
        self.print_logins(devices)

    def build(self) -> None:
        try:
            with transaction.atomic():
                counts = demo_build(rng=random.Random(SEED))
        except (ValidationError, IntegrityError) as exc:
            # E.g. a demo e-mail address or the area's short name is already taken by real data.
            raise CommandError(f"Could not build the demo data, nothing was saved: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo area built: {counts['estates']} estates, {counts['tenancies']} tenancies, "
                f"{counts['users']} users, {counts['newcomers']} newcomers, {counts['visits']} visits, "
                f"{counts['activities']} activities, {counts['survey_answers']} survey answers."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Second area of the organisation built: {counts['second_area_tenancies']} tenancies, "
                f"{counts['second_area_users']} users, {counts['second_area_newcomers']} newcomers, "
                f"{counts['second_area_visits']} visits, {counts['second_area_survey_answers']} survey answers; "
                f"{counts['survey_rounds']} survey rounds across both areas (admin@demo.dk and the programme lead "
                "lead@demo.dk see them)."
            )
        )

    def print_logins(self, devices: list[TOTPDevice]) -> None:
        self.stdout.write("")
        for line in login_table():
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            "Coordinators, admins and the programme lead also type a code from an authenticator app after the password."
        )
        self.stdout.write(
            "Add the key to any authenticator app, or use the code printed here (valid for about a minute;"
        )
        self.stdout.write("run `make demo-codes` for fresh ones):")
        for line in two_factor_table(devices):
            self.stdout.write(f"  {line}")
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(f"Open {site}/ and sign in at {site}{reverse('accounts:login')}")
        self.stdout.write(
            f"Phone-only users ask for a link at {site}{reverse('accounts:link_request')}; "
            "the SMS is printed in the runserver console."
        )
        self.stdout.write(
            f"Survey rounds across both areas: {site}{reverse('surveys:round_list')} (lead@demo.dk, admin@demo.dk)"
        )
        self.stdout.write(f"Django admin: {site}{reverse('admin:index')} (admin@demo.dk)")
