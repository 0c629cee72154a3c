# The annual report becomes a background job of apps.core.jobs: renamed, not dropped, so no row loses data.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="annualreport", old_name="started_at", new_name="claimed_at"),
        migrations.AlterField(
            model_name="annualreport",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="claimed"),
        ),
        migrations.AddField(
            model_name="annualreport",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.AlterField(
            model_name="annualreport",
            name="error",
            field=models.TextField(blank=True, verbose_name="error"),
        ),
        migrations.AlterField(
            model_name="annualreport",
            name="status",
            field=models.CharField(
                choices=[("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
    ]
