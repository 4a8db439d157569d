"""Flat illustrations drawn with Pillow, so the demo needs no network and no photo bank."""

import hashlib
import io
import unicodedata

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 800, 600

# Soft backgrounds and a darker ink per top-level category, so a catalogue page reads as
# a set of coloured families rather than noise.
PALETTES = {
    "maison": ((250, 231, 214), (176, 84, 56)),
    "mobilier": ((234, 222, 203), (122, 86, 52)),
    "vetements": ((243, 220, 232), (150, 56, 104)),
    "livres-culture": ((222, 230, 246), (52, 78, 150)),
    "jeux-jouets": ((255, 240, 196), (196, 120, 20)),
    "sport-loisirs": ((214, 240, 226), (34, 124, 84)),
    "high-tech": ((221, 233, 240), (40, 96, 128)),
    "artisanat": ((236, 226, 246), (108, 70, 160)),
    "epicerie": ((246, 236, 210), (150, 100, 30)),
    "jardin": ((224, 240, 208), (70, 120, 40)),
}
DEFAULT_PALETTE = ((235, 235, 235), (80, 80, 80))
SHAPES = ("circle", "square", "diamond", "arch")


def _shape_for(key: str) -> str:
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    return SHAPES[int(digest, 16) % len(SHAPES)]


def _draw_shape(draw: ImageDraw.ImageDraw, shape: str, box, fill) -> None:
    left, top, right, bottom = box
    if shape == "circle":
        draw.ellipse(box, fill=fill)
    elif shape == "square":
        draw.rounded_rectangle(box, radius=(right - left) // 6, fill=fill)
    elif shape == "diamond":
        middle_x, middle_y = (left + right) // 2, (top + bottom) // 2
        draw.polygon(
            [(middle_x, top), (right, middle_y), (middle_x, bottom), (left, middle_y)], fill=fill
        )
    else:
        draw.rounded_rectangle(
            box, radius=(right - left) // 2, fill=fill, corners=(True, True, False, False)
        )


def _drawable(text: str, limit: int) -> str:
    """Pillow's built-in font has no accented letters: draw « Vélo » as « Velo »."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("’", "'")
    text = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    text = "".join(char if " " <= char <= "~" or char == "·" else " " for char in text)
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def illustration_png(
    *, title: str, label: str, family: str, variant: int = 0, size=(WIDTH, HEIGHT),
    initial: str = "",
) -> bytes:
    """A flat card: coloured background, a shape with the title's initial, a short label.

    `variant` 1 draws the shape larger and off-centre, as a second "detail" view."""
    width, height = size
    background, ink = PALETTES.get(family, DEFAULT_PALETTE)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)

    diameter = int(min(width, height) * (0.52 if variant == 0 else 0.7))
    centre_x = width // 2 if variant == 0 else int(width * 0.62)
    centre_y = int(height * 0.42) if variant == 0 else int(height * 0.58)
    box = (
        centre_x - diameter // 2, centre_y - diameter // 2,
        centre_x + diameter // 2, centre_y + diameter // 2,
    )
    _draw_shape(draw, _shape_for(title), box, ink)

    initial = (_drawable(initial or title.strip(), 60)[:1] or "?").upper()
    initial_font = ImageFont.load_default(size=int(diameter * 0.55))
    draw.text((centre_x, centre_y), initial, font=initial_font, fill=background, anchor="mm")

    label = _drawable(label, 42)
    label_size = max(18, height // 16)
    label_font = ImageFont.load_default(size=label_size)
    while draw.textlength(label, font=label_font) > width * 0.9 and label_size > 12:
        label_size -= 2
        label_font = ImageFont.load_default(size=label_size)
    label_y = int(height * 0.86) if variant == 0 else int(height * 0.1)
    label_x = width // 2 if variant == 0 else int(width * 0.05)
    anchor = "mm" if variant == 0 else "lm"
    draw.text((label_x, label_y), label, font=label_font, fill=ink, anchor=anchor)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # flat colours: small anyway
    return buffer.getvalue()
