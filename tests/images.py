"""Generated test images: logo-like pictures (shapes on a background), and their altered copies."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageOps


def logo(seed: int, size: int = 512) -> Image.Image:
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (size, size), tuple(int(x) for x in rng.integers(0, 255, 3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = (int(v) for v in rng.integers(0, size * 7 // 8, 2))
        w, h = (int(v) for v in rng.integers(size // 12, size * 2 // 5, 2))
        colour = tuple(int(x) for x in rng.integers(0, 255, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)([x0, y0, x0 + w, y0 + h], fill=colour)
    return image


def encode(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


ALTERATIONS = {
    "resized": lambda i: i.resize((i.width * 3 // 5, i.height * 3 // 5)),
    "cropped 2%": lambda i: i.crop((i.width // 100, i.height // 100, i.width * 99 // 100, i.height * 99 // 100)),
    "re-encoded JPEG q60": lambda i: Image.open(io.BytesIO(encode(i.convert("RGB"), "JPEG", quality=60))),
    "rotated 90°": lambda i: i.rotate(90, expand=True),
    "rotated 180°": lambda i: i.rotate(180),
    "mirrored": ImageOps.mirror,
    "flipped": ImageOps.flip,
    "grayscale": lambda i: i.convert("L"),
}
