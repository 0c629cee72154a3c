"""QR codes as SVG markup: sharp on screen and in print, no image files, no inline styles.

One helper for the two-factor set-up, the survey's QR code and the welcome folder's back page.
"""

from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, box_size: int = 10) -> SafeString:
    """An <svg> element encoding `data` (built by the qrcode library from our own data, so safe to embed)."""
    import qrcode  # imported where it is used: only a few pages and the folder's back page draw a code
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=2)
    svg = image.to_string(encoding="unicode")
    # No XML prolog: the drawing is embedded in pages and print templates.
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308 - generated markup, no user HTML
