"""python manage.py grant_programme_lead EMAIL --organisation SLUG — make someone an organisation's programme lead."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import programme_lead_grant
from apps.organisation.models import HousingOrganisation


class Command(BaseCommand):
    help = (
        "Make the person with this e-mail address programme lead (evaluator) of a housing organisation: read-only "
        "access to its survey rounds' pooled figures, never a name, address, phone or free text. Creates the "
        "account if the address is new and sends a one-time sign-in link; two-factor is set up on first sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--organisation", required=True, help="The housing organisation's short name (slug).")
        parser.add_argument("--name", default="", help="The person's name, for a new account.")

    def handle(self, *args, **options):
        organisation = HousingOrganisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No housing organisation with the short name {options['organisation']!r}.")
        try:
            role, created = programme_lead_grant(
                organisation=organisation, email=options["email"], full_name=options["name"]
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        account = "Created the account of" if created else "Found the account of"
        channel = "SMS" if role.user.phone else "e-mail"
        self.stdout.write(
            f"{account} {role.user.email}; programme lead of {organisation.name}. "
            f"A one-time sign-in link is on its way by {channel}; two-factor is set up on first sign-in."
        )
