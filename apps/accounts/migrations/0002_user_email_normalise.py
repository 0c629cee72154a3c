"""Existing e-mail addresses in the one spelling sign-in and the lock-out use (trimmed, lower-case).

The unique index on LOWER(email) already kept two accounts from differing only in case; this makes the
stored spelling match what apps.accounts.identifiers.email_normalise gives for new and edited users.
"""

from django.db import migrations
from django.db.models.functions import Lower, Trim


def emails_normalise(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    normalised = Lower(Trim("email"))
    User.objects.exclude(email=None).exclude(email=normalised).update(email=normalised)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(emails_normalise, migrations.RunPython.noop, elidable=True)]
