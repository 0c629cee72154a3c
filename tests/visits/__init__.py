"""Helpers for the visits tests."""

import io

from PIL import Image

SCRIPT = b"<script>alert(document.cookie)</script>"
GPS_IFD = 0x8825


def jpeg_with_gps_and_script(size: tuple[int, int] = (40, 30)) -> bytes:
    """A real JPEG as a phone writes it (EXIF with a GPS position), with a script appended after the image
    data: the bytes an upload called photo.pdf carried in the outside probe."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 40.0, 36.0), 3: "E", 4: (12.0, 34.0, 5.0)})
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue() + SCRIPT
