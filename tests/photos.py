"""Generated photographs: real-looking, varied pictures deterministic from a seed, for avatar recall and
false-match measurements (no outside image set is used).

A picture is a scene (landscape with a horizon, an object on a backdrop, a portrait-like head and
shoulders, a street or document with text-like rows, or a close-up texture) built from what makes
photographs what they are to a perceptual hash: 1/f^β noise fields (natural images' power spectrum),
smooth lighting gradients and vignetting, shapes with shading and soft shadows, fine texture, sensor
noise, blur where the lens would blur, and a JPEG round trip.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SCENES = ("landscape", "object", "portrait", "text", "texture")


def photo(seed: int, size: tuple[int, int] = (384, 384), *, jpeg: bool = True) -> Image.Image:
    """The picture of `seed`: RGB, `size` (width, height), JPEG round-tripped unless asked not to."""
    rng = np.random.default_rng([seed, 20])
    width, height = size
    scene = SCENES[int(rng.integers(len(SCENES)))]
    canvas = _SCENES[scene](rng, width, height)
    canvas = _finish(rng, canvas)
    if jpeg:
        out = io.BytesIO()
        canvas.save(out, "JPEG", quality=int(rng.integers(70, 96)))
        canvas = Image.open(io.BytesIO(out.getvalue())).convert("RGB")
    return canvas


def fractal(rng: np.random.Generator, width: int, height: int, beta: float) -> np.ndarray:
    """A 1/f^β noise field in 0..1, synthesized small and scaled up (its low frequencies are what matter)."""
    small_w, small_h = max(8, width // 4), max(8, height // 4)
    fy = np.fft.fftfreq(small_h)[:, np.newaxis]
    fx = np.fft.rfftfreq(small_w)[np.newaxis, :]
    radius = np.sqrt(fx * fx + fy * fy)
    radius[0, 0] = 1.0
    spectrum = (rng.normal(size=radius.shape) + 1j * rng.normal(size=radius.shape)) / radius ** (beta / 2)
    spectrum[0, 0] = 0
    field = np.fft.irfft2(spectrum, s=(small_h, small_w))
    field = (field - field.min()) / (np.ptp(field) or 1.0)
    return np.asarray(Image.fromarray((field * 255).astype(np.uint8)).resize((width, height), Image.BICUBIC),
                      dtype=np.float32) / 255


def _palette(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` colours of one scene: a base hue with neighbours, at varied lightness (0..255 floats)."""
    base = rng.random()
    hues = (base + rng.normal(0, 0.08, count) + (rng.random(count) < 0.3) * 0.5) % 1.0
    saturation = np.clip(rng.normal(0.45, 0.2, count), 0.05, 0.95)
    value = np.clip(rng.normal(0.6, 0.22, count), 0.08, 1.0)
    return np.stack([_hsv_to_rgb(h, s, v) for h, s, v in zip(hues, saturation, value, strict=True)]) * 255


def _hsv_to_rgb(h: float, s: float, v: float) -> np.ndarray:
    i = int(h * 6) % 6
    f = h * 6 - int(h * 6)
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    return np.array([(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i])


def _colourize(field: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    low32, span = low.astype(np.float32), (high - low).astype(np.float32)
    return low32[np.newaxis, np.newaxis, :] + field.astype(np.float32)[:, :, np.newaxis] * span


def _gradient(width: int, height: int, angle: float) -> np.ndarray:
    across = (np.arange(width, dtype=np.float32) / width - 0.5) * np.float32(np.cos(angle))
    down = (np.arange(height, dtype=np.float32) / height - 0.5) * np.float32(np.sin(angle))
    value = down[:, np.newaxis] + across[np.newaxis, :]
    return (value - value.min()) / (np.ptp(value) or 1.0)


def _landscape(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    colours = _palette(rng, 6)
    horizon = rng.uniform(0.3, 0.7) * height
    ridge = horizon + (fractal(rng, width, 8, 2.2)[4] - 0.5) * height * rng.uniform(0.05, 0.4)
    rows = np.arange(height, dtype=np.float32)[:, np.newaxis]
    sky = _colourize(np.clip(rows / max(horizon, 1), 0, 1) * np.ones((1, width), np.float32), colours[0], colours[1])
    sky += (fractal(rng, width, height, 2.6)[:, :, np.newaxis] - 0.5) * rng.uniform(10, 80)  # clouds
    ground = _colourize(fractal(rng, width, height, rng.uniform(1.6, 2.4)), colours[2], colours[3])
    ground *= (0.6 + 0.4 * (rows / height))[:, :, np.newaxis]  # nearer ground is lighter
    picture = np.where((rows < ridge[np.newaxis, :])[:, :, np.newaxis], sky, ground)
    image = Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8))
    _shapes(rng, image, colours, int(rng.integers(0, 6)), ground_line=int(horizon))
    return image


def _object(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    colours = _palette(rng, 7)
    backdrop = _colourize(fractal(rng, width, height, rng.uniform(1.8, 3.0)), colours[0], colours[1])
    backdrop *= (0.7 + 0.3 * _gradient(width, height, rng.uniform(0, 2 * np.pi)))[:, :, np.newaxis]
    image = Image.fromarray(np.clip(backdrop, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(rng.uniform(0, 4)))
    _shapes(rng, image, colours, int(rng.integers(2, 9)))
    return image


def _portrait(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    colours = _palette(rng, 5)
    backdrop = _colourize(fractal(rng, width, height, 2.8), colours[0], colours[1])
    image = Image.fromarray(np.clip(backdrop, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(6))
    draw = ImageDraw.Draw(image)
    cx, cy = width * rng.uniform(0.35, 0.65), height * rng.uniform(0.3, 0.5)
    face_w, face_h = width * rng.uniform(0.18, 0.3), height * rng.uniform(0.25, 0.38)
    skin = tuple(int(c) for c in np.clip(rng.normal([205, 160, 130], 30), 30, 255))
    cloth = tuple(int(c) for c in colours[2])
    draw.ellipse([cx - face_w * 1.9, cy + face_h * 0.8, cx + face_w * 1.9, cy + face_h * 3.5], fill=cloth)
    draw.rectangle([cx - face_w * 0.35, cy + face_h * 0.5, cx + face_w * 0.35, cy + face_h * 1.1], fill=skin)
    hair = tuple(int(c) for c in np.clip(rng.normal(60, 40, 3), 0, 255))
    draw.ellipse([cx - face_w * 1.08, cy - face_h * 1.12, cx + face_w * 1.08, cy + face_h * 0.6], fill=hair)
    draw.ellipse([cx - face_w, cy - face_h, cx + face_w, cy + face_h], fill=skin)
    for side in (-1, 1):  # eyes, then brows
        ex, ey = cx + side * face_w * 0.4, cy - face_h * 0.15
        draw.ellipse([ex - face_w * 0.14, ey - face_h * 0.06, ex + face_w * 0.14, ey + face_h * 0.06], fill=(240,) * 3)
        draw.ellipse([ex - face_w * 0.06, ey - face_h * 0.06, ex + face_w * 0.06, ey + face_h * 0.06], fill=hair)
        draw.line([ex - face_w * 0.18, ey - face_h * 0.18, ex + face_w * 0.18, ey - face_h * 0.2], fill=hair,
                  width=max(1, int(face_h * 0.04)))
    draw.arc([cx - face_w * 0.35, cy + face_h * 0.2, cx + face_w * 0.35, cy + face_h * 0.6], 20, 160,
             fill=(150, 60, 60), width=max(1, int(face_h * 0.04)))
    shade = 0.75 + 0.25 * _gradient(width, height, rng.uniform(0, 2 * np.pi))  # light from one side
    return Image.fromarray(np.clip(np.asarray(image, np.float32) * shade[:, :, np.newaxis], 0, 255).astype(np.uint8))


def _text(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    colours = _palette(rng, 6)
    paper = _colourize(fractal(rng, width, height, 2.0) * 0.2 + 0.8, colours[0] * 0.5, colours[0])
    image = Image.fromarray(np.clip(paper, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(1, 4))):  # panels, banners, photos on the page
        x0, y0 = rng.uniform(0, 0.7) * width, rng.uniform(0, 0.7) * height
        x1, y1 = x0 + rng.uniform(0.2, 0.6) * width, y0 + rng.uniform(0.1, 0.4) * height
        draw.rectangle([x0, y0, x1, y1], fill=tuple(int(c) for c in colours[int(rng.integers(1, 6))]))
    ink = tuple(int(c) for c in np.clip(colours[int(rng.integers(1, 6))] * 0.3, 0, 255))
    line = max(6, int(height * rng.uniform(0.03, 0.07)))
    top = int(rng.integers(0, line * 2))
    margin = int(width * rng.uniform(0.03, 0.15))
    for y in range(top, height - line, int(line * rng.uniform(1.3, 2.0))):
        x = margin + int(rng.integers(0, line))
        end = width - margin - int(rng.integers(0, width // 2 if rng.random() < 0.3 else line * 2))
        while x < end:  # glyph-like strokes in words
            for _ in range(int(rng.integers(2, 9))):
                glyph = int(line * rng.uniform(0.45, 0.8))
                strokes = int(rng.integers(1, 4))
                for _ in range(strokes):
                    gx, gy = x + rng.uniform(0, glyph), y + rng.uniform(0, line * 0.8)
                    draw.line([gx, gy, gx + rng.uniform(-glyph, glyph) * 0.7, gy + rng.uniform(-line, line) * 0.5],
                              fill=ink, width=max(1, line // 8))
                x += glyph
            x += int(line * rng.uniform(0.4, 0.9))
    return image


def _texture(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    colours = _palette(rng, 4)
    field = fractal(rng, width, height, rng.uniform(1.2, 2.2))
    stripes = np.sin(_gradient(width, height, rng.uniform(0, np.pi)) * rng.uniform(6, 40) + field * 6) * 0.5 + 0.5
    mix = rng.uniform(0, 0.6)
    picture = _colourize(field * (1 - mix) + stripes * mix, colours[0], colours[1])
    image = Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8))
    _shapes(rng, image, colours, int(rng.integers(0, 4)))
    return image


def _shapes(rng: np.random.Generator, image: Image.Image, colours: np.ndarray, count: int,
            ground_line: int | None = None) -> None:
    """Objects: ellipses, boxes and polygons, each with a soft shadow and a shading gradient."""
    width, height = image.size
    for _ in range(count):
        w, h = (max(4, int(v)) for v in rng.uniform(0.08, 0.45, 2) * (width, height))
        x0 = int(rng.uniform(-0.1, 0.9) * width)
        y0 = int(ground_line - h * rng.uniform(0.6, 1.0)) if ground_line is not None else int(
            rng.uniform(-0.1, 0.9) * height)
        pad = max(2, w // 10)
        mask = Image.new("L", (w + 2 * pad, h + 2 * pad), 0)
        draw = ImageDraw.Draw(mask)
        kind = rng.random()
        if kind < 0.4:
            draw.ellipse([pad, pad, pad + w, pad + h], fill=255)
        elif kind < 0.7:
            draw.rectangle([pad, pad, pad + w, pad + h], fill=255)
        else:
            angles = np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(3, 8))))
            radius = rng.uniform(0.5, 1.0, len(angles))
            draw.polygon([(float(pad + w / 2 + np.cos(a) * r * w / 2), float(pad + h / 2 + np.sin(a) * r * h / 2))
                          for a, r in zip(angles, radius, strict=True)], fill=255)
        shadow = mask.filter(ImageFilter.GaussianBlur(max(1.0, w * 0.04))).point(lambda v: v // 2)
        image.paste((20, 20, 20), (x0 - pad + w // 12, y0 - pad + h // 12), shadow)
        colour = colours[int(rng.integers(len(colours)))]
        shade = 0.55 + 0.45 * _gradient(mask.width, mask.height, float(rng.uniform(0, 2 * np.pi)))
        fill = _colourize(shade * (0.85 + 0.15 * fractal(rng, mask.width, mask.height, 1.5)), colour * 0.5, colour)
        image.paste(Image.fromarray(np.clip(fill, 0, 255).astype(np.uint8)), (x0 - pad, y0 - pad),
                    mask.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.5))))


def _finish(rng: np.random.Generator, image: Image.Image) -> Image.Image:
    """What the camera adds: vignetting, sensor noise, sometimes a soft focus."""
    width, height = image.size
    across = (np.arange(width, dtype=np.float32) / width - 0.5) ** 2
    down = (np.arange(height, dtype=np.float32) / height - 0.5) ** 2
    vignette = 1 - np.float32(rng.uniform(0, 0.45) * 2) * (down[:, np.newaxis] + across[np.newaxis, :])
    grain = rng.standard_normal((height, width, 1), dtype=np.float32) * np.float32(rng.uniform(0.5, 6))
    noisy = np.asarray(image, np.float32) * vignette[:, :, np.newaxis] + grain
    finished = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    if rng.random() < 0.25:
        finished = finished.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.5)))
    return finished


_SCENES = {"landscape": _landscape, "object": _object, "portrait": _portrait, "text": _text, "texture": _texture}


def crop(image: Image.Image, left: float, top: float, right: float, bottom: float) -> Image.Image:
    """`image` with the given fraction of its width or height cut off each side."""
    width, height = image.size
    return image.crop((round(left * width), round(top * height), width - round(right * width),
                       height - round(bottom * height)))
