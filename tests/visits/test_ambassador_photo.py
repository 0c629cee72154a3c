"""The ambassador's photo: checked by its content, stored afresh under a made-up name, served as the picture
it is, and its file deleted when it is replaced, removed, or its profile deleted."""

import importlib
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.visits.models import Ambassador
from tests.visits import SCRIPT, jpeg_with_gps_and_script

pytestmark = pytest.mark.django_db


@pytest.fixture
def ali(client, ambassador):
    client.force_login(ambassador)
    return client


def _upload(client, data: bytes, name: str, content_type: str = "image/jpeg", **extra):
    photo = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(
        reverse("visits:my_profile"), {"languages": ["da"], "visits_per_month": 4, "photo": photo, **extra}
    )


def _png(size=(20, 20), colour="white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _stored(profile: Ambassador) -> Path:
    profile.refresh_from_db()
    return Path(profile.photo.path)


def test_a_jpeg_named_pdf_with_gps_and_a_script_is_stored_as_a_clean_jpeg(ali, ambassador_profile):
    response = _upload(ali, jpeg_with_gps_and_script(), "photo.pdf", content_type="application/pdf")

    assert response.status_code == 302
    stored = _stored(ambassador_profile)
    assert stored.suffix == ".jpg" and "photo" not in stored.name
    data = stored.read_bytes()
    assert SCRIPT not in data and b"<script" not in data
    with Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (40, 30)
        assert not image.getexif() and "exif" not in image.info
    assert data.endswith(b"\xff\xd9")  # the JPEG ends where its image data ends: nothing trailing


def test_the_photo_is_served_as_the_picture_it_is(ali, ambassador_profile):
    _upload(ali, jpeg_with_gps_and_script(), "photo.pdf", content_type="application/pdf")

    response = ali.get(reverse("visits:ambassador_photo", args=[ambassador_profile.pk]))

    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert SCRIPT not in b"".join(response.streaming_content)


def test_a_photo_stored_before_under_a_wrong_name_is_still_served_as_an_image(ali, ambassador_profile):
    """Files stored before the check came keep their uploaded name; the type is read from the bytes."""
    Ambassador.objects.filter(pk=ambassador_profile.pk).update(photo="")
    ambassador_profile.photo.save("photo.pdf", SimpleUploadedFile("photo.pdf", jpeg_with_gps_and_script()))

    response = ali.get(reverse("visits:ambassador_photo", args=[ambassador_profile.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_a_stored_file_that_is_no_picture_is_not_served(ali, ambassador_profile):
    ambassador_profile.photo.save("photo.pdf", SimpleUploadedFile("photo.pdf", b"%PDF-1.4 " + SCRIPT))

    response = ali.get(reverse("visits:ambassador_photo", args=[ambassador_profile.pk]))

    assert response.status_code == 404


def test_a_large_photo_is_scaled_down(ali, ambassador_profile):
    _upload(ali, _png((2000, 1000)), "me.png", content_type="image/png")

    with Image.open(_stored(ambassador_profile)) as image:
        assert image.format == "PNG" and image.size == (800, 400)


def test_a_picture_in_another_format_is_refused(ali, ambassador_profile):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="GIF")

    response = _upload(ali, buffer.getvalue(), "me.gif", content_type="image/gif")

    assert response.status_code == 400
    ambassador_profile.refresh_from_db()
    assert not ambassador_profile.photo


def test_replacing_the_photo_deletes_the_old_file(ali, ambassador_profile, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(ali, _png(colour="red"), "first.png", content_type="image/png")
    first = _stored(ambassador_profile)
    assert first.exists()

    with django_capture_on_commit_callbacks(execute=True):
        _upload(ali, _png(colour="blue"), "second.png", content_type="image/png")

    second = _stored(ambassador_profile)
    assert second != first and second.exists()
    assert not first.exists()


def test_removing_the_photo_deletes_the_file(ali, ambassador_profile, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(ali, _png(), "me.png", content_type="image/png")
    stored = _stored(ambassador_profile)

    with django_capture_on_commit_callbacks(execute=True):
        ali.post(reverse("visits:my_profile"), {"languages": ["da"], "visits_per_month": 4, "photo-clear": "on"})

    ambassador_profile.refresh_from_db()
    assert not ambassador_profile.photo and not stored.exists()


def test_deleting_an_ambassadors_account_deletes_the_photo_file(
    ali, ambassador, ambassador_profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(ali, _png(), "me.png", content_type="image/png")
    stored = _stored(ambassador_profile)

    with django_capture_on_commit_callbacks(execute=True):
        ambassador.delete()  # the profile goes with the account (a cascade)

    assert not Ambassador.objects.filter(pk=ambassador_profile.pk).exists()
    assert not stored.exists()


def test_photos_stored_before_the_check_are_stored_afresh_by_the_migration(
    ambassador_profile, other_ambassador_profile, django_capture_on_commit_callbacks
):
    from django.apps import apps

    migration = importlib.import_module("apps.visits.migrations.0004_photos_stored_afresh")
    ambassador_profile.photo.save("photo.pdf", SimpleUploadedFile("photo.pdf", jpeg_with_gps_and_script()))
    other_ambassador_profile.photo.save("cv.pdf", SimpleUploadedFile("cv.pdf", b"%PDF-1.4 " + SCRIPT))
    old = [Path(ambassador_profile.photo.path), Path(other_ambassador_profile.photo.path)]

    with django_capture_on_commit_callbacks(execute=True):
        migration.store_photos_afresh(apps, None)

    stored = _stored(ambassador_profile)
    assert stored.suffix == ".jpg" and SCRIPT not in stored.read_bytes()
    with Image.open(stored) as image:
        assert image.format == "JPEG" and not image.getexif()
    other_ambassador_profile.refresh_from_db()
    assert not other_ambassador_profile.photo  # not a picture: forgotten
    assert not any(path.exists() for path in old)
