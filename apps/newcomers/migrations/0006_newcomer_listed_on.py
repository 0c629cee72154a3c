# A newcomer knows the day the programme learned of it (`listed_on`), so a list that arrives weeks after
# the move-in does not make its visits overdue at once. Rows from before this migration were created by
# the import that listed them: their creation's local date is that day.

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import TruncDate


def listed_on_from_created_at(apps, schema_editor):
    Newcomer = apps.get_model("newcomers", "Newcomer")
    # One UPDATE on PostgreSQL and SQLite alike; the date is taken in the installation's time zone.
    Newcomer.objects.update(listed_on=TruncDate("created_at", tzinfo=django.utils.timezone.get_default_timezone()))


class Migration(migrations.Migration):
    dependencies = [
        ("newcomers", "0005_importrun_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="newcomer",
            name="listed_on",
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name="on the list since"),
        ),
        migrations.RunPython(listed_on_from_created_at, migrations.RunPython.noop, elidable=True),
    ]
