# Print batches and personal folders become background jobs of apps.core.jobs: fields renamed, not
# dropped, so no row loses data; a delivery's "ready" is the job's "done".

from django.db import migrations, models
from django.db.models import F

STATUS_CHOICES = [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")]


def forward(apps, schema_editor):
    apps.get_model("folders", "Delivery").objects.filter(status="ready").update(status="done")
    # A batch's sign of life was updated_at; it is claimed_at now.
    apps.get_model("folders", "PrintBatch").objects.update(claimed_at=F("updated_at"))


def backward(apps, schema_editor):
    apps.get_model("folders", "Delivery").objects.filter(status="done").update(status="ready")
    apps.get_model("folders", "Delivery").objects.filter(status="running").update(status="queued")


class Migration(migrations.Migration):
    dependencies = [
        ("folders", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="printbatch", old_name="failure_message", new_name="error"),
        migrations.AlterField(
            model_name="printbatch",
            name="error",
            field=models.TextField(blank=True, verbose_name="error"),
        ),
        migrations.AddField(
            model_name="printbatch",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="claimed"),
        ),
        migrations.RenameField(model_name="delivery", old_name="failure_message", new_name="error"),
        migrations.AlterField(
            model_name="delivery",
            name="error",
            field=models.TextField(blank=True, verbose_name="error"),
        ),
        migrations.RenameField(model_name="delivery", old_name="made_at", new_name="finished_at"),
        migrations.AlterField(
            model_name="delivery",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="finished"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="claimed"),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, default="queued", max_length=10, verbose_name="status"),
        ),
        migrations.RunPython(forward, backward),
    ]
