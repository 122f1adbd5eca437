"""Decoding untrusted image bytes under hard limits, into the luminance PDQ hashes.

Refused before any pixel is decoded: more bytes than the policy allows, a format other than
JPEG, PNG, GIF or WebP, or more pixels than the policy allows (decompression bombs: the size is
read from the header). Then only the first frame is decoded, EXIF orientation is applied,
transparency is laid over white, and the pixels are taken as Meta's reference hasher takes them
(pdq.reference_pixels: the nearest-neighbour 512×512 sample of a larger image) before luminance is
computed from RGB as it does. The reference decodes in full; so do we, except a JPEG over 4096
pixels on both sides, decoded by the DCT's own scaling to no less than 2048 (measured at most 2 bits
from the full decode, against tens of megabytes and a few hundred milliseconds). Truncated, corrupt
or unreadable input raises `ImageRefused`, never anything else.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
DRAFT_SIDE = 2048  # a JPEG's DCT scaling never goes below this many pixels a side


@dataclass
class ImageRefused(Exception):
    code: str  # IMAGE_INVALID or IMAGE_TOO_LARGE
    message: str
    message_zh: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decoded:
    luma: np.ndarray  # float32 luminance of the pixels the reference hashes (at most 512×512)
    format: str
    width: int
    height: int


def decode(data: bytes, *, max_bytes: int, max_pixels: int) -> Decoded:
    if len(data) > max_bytes:
        raise ImageRefused("IMAGE_TOO_LARGE", f"The image is over {max_bytes} bytes.", "图片超过大小上限。",
                           {"bytes": len(data), "max_bytes": max_bytes})
    from PIL import Image, ImageOps, UnidentifiedImageError

    from chalicelib.avatars import pdq

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
            if fmt == "JPEG" and image.mode in ("RGB", "L", "CMYK", "YCbCr"):
                image.draft(image.mode, (DRAFT_SIDE, DRAFT_SIDE))  # a no-op unless both sides are over 4096
            image.seek(0)
            image = ImageOps.exif_transpose(image)
            full_cols, full_rows = _upright(width, height, image.size)
            pixels = np.asarray(_flatten(image, Image), dtype=np.uint8)
            luma = pdq.luminance(pdq.reference_pixels(pixels, full_rows, full_cols))
            return Decoded(luma, fmt, width, height)
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


def _upright(width: int, height: int, decoded: tuple[int, int]) -> tuple[int, int]:
    """The full-size (columns, rows) of the image as decoded: the header's, turned as EXIF turned it."""
    return (width, height) if (decoded[0] >= decoded[1]) == (width >= height) else (height, width)


def _flatten(image: Any, pil: Any) -> Any:
    """RGB (grey stays grey, as the reference reads it), transparent areas laid over white (as a logo
    is seen on a page)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = pil.new("RGBA", rgba.size, (255, 255, 255, 255))
        return pil.alpha_composite(white, rgba).convert("RGB")
    return image if image.mode in ("L", "RGB") else image.convert("RGB")
