from django import template

from apps.core import bidi

register = template.Library()


@register.filter
def html_in(html: str, language: str):
    """`{{ text.html|html_in:language }}`: sanitised section HTML with left-to-right islands where the
    language is right to left (apps.core.bidi)."""
    return bidi.safe_html_in(html, language)


@register.filter
def direction(language: str) -> str:
    """`dir="{{ language|direction }}"`."""
    return bidi.direction(language)
