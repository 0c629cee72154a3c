"""The survey's QR code as SVG (for the survey page and the welcome folder's printer)."""

import io

import qrcode
import qrcode.image.svg


def qr_svg(url: str) -> str:
    """An SVG drawing of a QR code for `url`, with no XML prolog (it is embedded in pages)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]
