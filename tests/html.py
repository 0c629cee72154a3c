"""Reading what a page shows, for tests: its tab bar and its page links. Not a test module."""

from html.parser import HTMLParser

Link = tuple[str, str, bool]  # text, href, whether it is marked as the current page


class _Links(HTMLParser):
    """The links inside the first `tag` element with `css_class`."""

    def __init__(self, tag: str, css_class: str) -> None:
        super().__init__()
        self.tag, self.css_class = tag, css_class
        self.depth = 0  # nesting of `tag` inside the matched element; 0 = outside it
        self.done = False
        self.label = ""
        self.links: list[Link] = []
        self._link: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == self.tag and self.depth:
            self.depth += 1
        elif tag == self.tag and not self.done and self.css_class in (attrs.get("class") or "").split():
            self.depth, self.label = 1, attrs.get("aria-label", "")
        elif tag == "a" and self.depth:
            self._link = {"href": attrs.get("href", ""), "current": attrs.get("aria-current") == "page", "text": ""}

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append((self._link["text"].strip(), self._link["href"], self._link["current"]))
            self._link = None
        elif tag == self.tag and self.depth:
            self.depth -= 1
            self.done = not self.depth


def tab_bar(html: str) -> tuple[str, list[Link]]:
    """The page's tab bar: its label (for screen readers) and its tabs."""
    parser = _Links("nav", "area-nav")
    parser.feed(html)
    return parser.label, parser.links


def page_links(html: str) -> list[Link]:
    """The previous/next links of a paginated list (the links of its `.pagination` list)."""
    parser = _Links("ul", "pagination")
    parser.feed(html)
    return parser.links
