"""Warm still lifes drawn with Pillow for the demo's products: an object of the
category's colour standing on a wooden table against a lit wall, with its soft shadow.
Deterministic (the drawing depends only on the title and family) and fast."""

import hashlib
import io

from PIL import Image, ImageDraw, ImageFilter

from .illustrations import DEFAULT_PALETTE, PALETTES, SHAPES, _draw_shape

WALL_LIGHT = (255, 246, 228)
TABLE_TOP, TABLE_BOTTOM = (176, 124, 82), (120, 78, 48)
GLOW = (255, 236, 196)


def _seed(title: str) -> int:
    return int(hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest(), 16)


def _vertical(size, top, bottom) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _mix(colour, other, share: float):
    return tuple(round(a * (1 - share) + b * share) for a, b in zip(colour, other, strict=True))


def scene_png(*, title: str, family: str, variant: int = 0, size=(800, 600), **_) -> bytes:
    width, height = size
    background, ink = PALETTES.get(family, DEFAULT_PALETTE)
    seed = _seed(title)
    horizon = int(height * (0.68 if variant == 0 else 0.78))

    image = _vertical(size, WALL_LIGHT, _mix(background, (90, 60, 40), 0.15))
    glow_x = int((0.2 + (seed % 60) / 100) * width)
    glow = Image.radial_gradient("L").resize((width * 2, height * 2))
    glow = glow.crop((width - glow_x, height // 2, 2 * width - glow_x, height // 2 + height))
    image = Image.composite(image, Image.new("RGB", size, GLOW), glow)

    table = _vertical((width, height - horizon), TABLE_TOP, TABLE_BOTTOM)
    grain = ImageDraw.Draw(table)
    for line in range(6):
        y = (seed >> (line * 4)) % max(1, height - horizon)
        grain.line([(0, y), (width, y + (line % 3) - 1)], fill=_mix(TABLE_TOP, TABLE_BOTTOM, 0.6),
                   width=2)
    image.paste(table, (0, horizon))

    scale = 0.46 if variant == 0 else 0.62
    diameter = int(min(width, height) * scale)
    centre_x = width // 2 if variant == 0 else int(width * 0.58)
    bottom = horizon + int((height - horizon) * 0.35)
    box = (centre_x - diameter // 2, bottom - diameter, centre_x + diameter // 2, bottom)

    # The shadow is blurred small and enlarged: the same softness for a fraction of the cost.
    shadow = Image.new("L", (width // 4, height // 4), 0)
    ImageDraw.Draw(shadow).ellipse(
        ((box[0] + 20) // 4, (bottom - 18) // 4, (box[2] + 40) // 4, (bottom + 22) // 4), fill=150)
    shadow = shadow.filter(ImageFilter.GaussianBlur(5)).resize(size)
    image = Image.composite(Image.new("RGB", size, (60, 38, 24)), image, shadow)

    draw = ImageDraw.Draw(image)
    _draw_shape(draw, SHAPES[seed % len(SHAPES)], box, ink)
    light = Image.new("L", size, 0)
    ImageDraw.Draw(light).ellipse(
        (box[0] + diameter // 6, box[1] + diameter // 8,
         box[0] + diameter // 2, box[1] + diameter // 3), fill=110)
    object_mask = Image.new("L", size, 0)
    _draw_shape(ImageDraw.Draw(object_mask), SHAPES[seed % len(SHAPES)], box, 255)
    light = Image.composite(light.filter(ImageFilter.BoxBlur(12)), object_mask.point(lambda _: 0),
                            object_mask)
    image = Image.composite(Image.new("RGB", size, _mix(ink, (255, 255, 255), 0.55)), image, light)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
