"""Uploads waiting for confirmation held the original file, CPR numbers included; from now on only a copy
with every CPR-like cell blanked is kept (importing.reader.table_store). The old ones are deleted: the
coordinator uploads the file again."""

from django.db import migrations


def delete_unconfirmed(apps, schema_editor):
    ImportRun = apps.get_model("newcomers", "ImportRun")
    ImportRun.objects.filter(status="uploaded").delete()


class Migration(migrations.Migration):
    dependencies = [("newcomers", "0003_retention")]

    operations = [migrations.RunPython(delete_unconfirmed, migrations.RunPython.noop)]
