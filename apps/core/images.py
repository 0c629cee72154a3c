"""Uploaded pictures (welcome-folder pictures, ambassador photos): checked by their content with Pillow,
never by their name or the browser's content type, and written afresh, so what is stored is new bytes in
one of three formats with no EXIF (camera, GPS position) and nothing hidden after the image data.
"""

import io
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# The formats we take, with the content type they are served as and the extension they are stored under.
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
_UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError)


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    format: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return IMAGE_FORMATS[self.format][0]

    @property
    def extension(self) -> str:
        return IMAGE_FORMATS[self.format][1]


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        _("The picture is larger than %(size)s. Choose a smaller picture.") % {"size": filesizeformat(max_bytes)}
    )


def image_read(file: UploadedFile, *, max_bytes: int) -> bytes:
    """An upload's bytes, refused by its size before anything is read into memory."""
    if file.size is None or file.size > max_bytes:
        raise _too_large(max_bytes)
    file.seek(0)
    return file.read()


def image_check(data: bytes, *, max_bytes: int, max_pixels: int) -> tuple[str, tuple[int, int]]:
    """The format and size of an uploaded picture, or ValidationError when it is not one we take."""
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format, size = image.format, image.size
            if image_format not in IMAGE_FORMATS:
                raise ValidationError(_("Choose a JPEG, PNG or WebP picture."))
            # Checked before any pixel is decoded: a small file may claim a huge picture.
            if size[0] * size[1] > max_pixels:
                raise ValidationError(_("The picture has too many pixels. Choose a smaller picture."))
            image.verify()
    except _UNREADABLE as error:
        raise ValidationError(_("This file is not a picture we can read.")) from error
    return image_format, size


def image_clean(data: bytes, *, max_bytes: int, max_pixels: int, max_side: int) -> CleanImage:
    """The picture checked, turned upright, scaled down to `max_side` and encoded again in its own format."""
    image_format, _size = image_check(data, max_bytes=max_bytes, max_pixels=max_pixels)
    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((max_side, max_side))
            if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
                image = image.convert("RGB")
            # Only what drawing needs: no EXIF, XMP, comments or text chunks are written again.
            image.info = {key: value for key, value in image.info.items() if key == "transparency"}
            output = io.BytesIO()
            image.save(output, format=image_format)
    except _UNREADABLE as error:
        raise ValidationError(_("This file is not a picture we can read.")) from error
    return CleanImage(data=output.getvalue(), format=image_format, width=image.width, height=image.height)


def image_content_type(file: IO[bytes]) -> str | None:
    """The content type of a stored picture read from its first bytes (not its name), or None when it is
    not one of ours. The file is left at its start."""
    try:
        with Image.open(file) as image:
            image_format = image.format
    except _UNREADABLE:
        return None
    finally:
        file.seek(0)
    return IMAGE_FORMATS.get(image_format, (None, None))[0]


def stored_file_delete_on_commit(file: FieldFile | None) -> None:
    """Delete a stored file once the transaction that stopped using it is committed: a rollback then never
    leaves a row pointing at a file that is gone. Call it before the row forgets the file's name."""
    if file:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))
