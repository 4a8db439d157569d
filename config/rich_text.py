"""The back office's rich-text editor, reading what the browser posts without crashing."""

from django.utils.html import escape
from wagtail.admin.rich_text import DraftailRichTextArea


def plain_text_html(text: str) -> str:
    """Paragraphs at blank lines, line breaks inside them, everything escaped."""
    paragraphs = text.replace("\r\n", "\n").split("\n\n")
    return "".join(
        "<p>{}</p>".format("<br/>".join(escape(line.strip()) for line in lines))
        for paragraph in paragraphs
        if (lines := [line for line in paragraph.strip().split("\n") if line.strip()])
    )


class RichTextArea(DraftailRichTextArea):
    """Draftail posts its editor state as JSON. Anything else (plain text from a script or
    a browser without JavaScript, a damaged editor state) is kept as escaped plain-text
    paragraphs instead of failing the whole form with a server error."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        # json, the converter and draftjs_exporter raise all sorts of errors on input
        # that is not an editor state; none of them is a reason to lose the text.
        except Exception:  # noqa: BLE001
            return plain_text_html(str(data.get(name, "")))
