"""Descriptions travel as plain text in catalogue files and live as sanitised rich text.

A paragraph (or list item, or line break) is one line of the cell. Two descriptions are the
same when their plain text is, so a re-import never rewrites formatting it cannot carry.
"""

from html import unescape
from html.parser import HTMLParser

LINE_BREAKING_TAGS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}


class _PlainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []

    def line_end(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in LINE_BREAKING_TAGS:
            self.line_end()

    def handle_endtag(self, tag):
        if tag in LINE_BREAKING_TAGS:
            self.line_end()

    def handle_data(self, data):
        self.current.append(data)


def html_to_plain(html: str) -> str:
    """« <p>Bol &amp; tasse</p><p>Bleu</p> » → « Bol & tasse\\nBleu »."""
    if "<" not in html:
        return "\n".join(" ".join(line.split()) for line in unescape(html).splitlines()
                         if line.strip())
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    parser.line_end()
    return "\n".join(parser.lines)
