# The import run becomes a background job of apps.core.jobs: renamed, not dropped, so no row loses data.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("newcomers", "0004_delete_unconfirmed_uploads"),
    ]

    operations = [
        migrations.RenameField(model_name="importrun", old_name="started_at", new_name="claimed_at"),
        migrations.AlterField(
            model_name="importrun",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="claimed"),
        ),
        migrations.RenameField(model_name="importrun", old_name="failure_message", new_name="error"),
        migrations.AlterField(
            model_name="importrun",
            name="error",
            field=models.TextField(blank=True, verbose_name="error"),
        ),
        migrations.AddField(
            model_name="importrun",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
    ]
