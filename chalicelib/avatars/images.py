"""Decoding untrusted image bytes under hard limits, into the luminance PDQ hashes.

Refused before any pixel is decoded: more bytes than the policy allows, a format other than
JPEG, PNG, GIF or WebP, or more pixels than the policy allows (decompression bombs: the size is
read from the header). Then only the first frame is decoded, JPEGs in draft mode at about
512 pixels (the DCT's own downscaling, much faster than decoding in full), EXIF orientation is
applied, transparency is laid over white, and the image is reduced to at most 512 pixels a side
(PDQ downsamples to 64×64, so nothing it uses is lost). Truncated, corrupt or unreadable input
raises `ImageRefused`, never anything else.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
WORKING_SIZE = 512


@dataclass
class ImageRefused(Exception):
    code: str  # IMAGE_INVALID or IMAGE_TOO_LARGE
    message: str
    message_zh: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decoded:
    luma: np.ndarray
    format: str
    width: int
    height: int


def decode(data: bytes, *, max_bytes: int, max_pixels: int) -> Decoded:
    if len(data) > max_bytes:
        raise ImageRefused("IMAGE_TOO_LARGE", f"The image is over {max_bytes} bytes.", "图片超过大小上限。",
                           {"bytes": len(data), "max_bytes": max_bytes})
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Any = Image.open(io.BytesIO(data), formats=FORMATS)  # an ImageFile, then plain Images
            width, height = image.size
            if width < 1 or height < 1 or width * height > max_pixels:
                raise ImageRefused("IMAGE_TOO_LARGE", f"The image has more than {max_pixels} pixels.",
                                   "图片像素数超过上限。",
                                   {"width": width, "height": height, "max_pixels": max_pixels})
            fmt = str(image.format)
            if fmt == "JPEG":
                image.draft("L", (WORKING_SIZE, WORKING_SIZE))  # JPEG's Y channel is the luminance PDQ wants
            image.seek(0)
            image = ImageOps.exif_transpose(image)
            image = _flatten(image, Image)
            while max(image.size) > WORKING_SIZE:
                image = image.reduce(2)
            return Decoded(np.asarray(image, dtype=np.uint8), fmt, width, height)
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:  # Pillow's own header check
        raise ImageRefused("IMAGE_TOO_LARGE", f"The image has more than {max_pixels} pixels.", "图片像素数超过上限。",
                           {"max_pixels": max_pixels, "reason": type(exc).__name__}) from exc
    except (UnidentifiedImageError, OSError, SyntaxError,
            ValueError, EOFError, TypeError, IndexError, KeyError, MemoryError, ZeroDivisionError) as exc:
        # Pillow's decoders report a bad file through any of these; none may become a 500.
        raise ImageRefused("IMAGE_INVALID", "The data is not a readable JPEG, PNG, GIF or WebP image.",
                           "无法识别为有效的 JPEG、PNG、GIF 或 WebP 图片。", {"reason": type(exc).__name__}) from exc


def _flatten(image: Any, pil: Any) -> Any:
    """Luminance, with transparent areas laid over white (as a logo is seen on a page)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = pil.new("RGBA", rgba.size, (255, 255, 255, 255))
        return pil.alpha_composite(white, rgba).convert("L")
    return image.convert("L")
