"""Photos uploaded before they were checked keep their uploaded name and bytes (EXIF with a GPS position,
anything appended, which the welcome folder's PDF would carry on). Each is written afresh now, as a new
upload is; a file that is gone or is not a picture we take is forgotten (and deleted)."""

from django.core.exceptions import ValidationError
from django.db import migrations


def store_photos_afresh(apps, schema_editor):
    from apps.visits.services import ambassador_photo_replace

    Ambassador = apps.get_model("visits", "Ambassador")
    for ambassador in Ambassador.objects.exclude(photo="").exclude(photo__isnull=True).order_by("pk"):
        try:
            with ambassador.photo.open("rb") as file:
                data = file.read()
        except OSError:
            data = None
        try:
            ambassador_photo_replace(ambassador=ambassador, data=data)
        except ValidationError:
            ambassador_photo_replace(ambassador=ambassador, data=None)


class Migration(migrations.Migration):
    dependencies = [("visits", "0003_pseudonyms")]

    operations = [migrations.RunPython(store_photos_afresh, migrations.RunPython.noop)]
