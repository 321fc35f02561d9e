"""Images for the cover tests, good and bad, made with Pillow as each test needs them (not a test
module itself)."""

import io
import os
import struct
import zlib

from PIL import Image, ImageCms

RED, BLUE = (200, 30, 30), (30, 30, 200)


def encoded(image: Image.Image, format: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()


def picture(size=(400, 600), colour=RED, mode="RGB") -> Image.Image:
    return Image.new(mode, size, colour)


def jpeg(size=(400, 600), colour=RED, **options) -> bytes:
    return encoded(picture(size, colour), "JPEG", **options)


def png(size=(400, 600), colour=RED, mode="RGB") -> bytes:
    return encoded(picture(size, colour, mode), "PNG")


def webp(size=(400, 600), colour=RED) -> bytes:
    return encoded(picture(size, colour), "WEBP")


def split_picture(size=(300, 200), left=RED, right=BLUE) -> Image.Image:
    """Left half one colour, right half the other: which way it was turned can be seen."""
    image = picture(size, left)
    image.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return image


def rotated_photo() -> bytes:
    """A 300 × 200 JPEG whose EXIF says "turn me 90° clockwise to view", with a camera name
    and a GPS position that must not reach the public."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise
    exif[0x010F] = "SpyCam Industries"  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 35.0, 30.0)}  # GPS: latitude
    return encoded(split_picture(), "JPEG", exif=exif, quality=95)


def with_colour_profile() -> bytes:
    """A PNG carrying an ICC profile (and text) that the stored cover must not carry on."""
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "scanned at the back office")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encoded(picture(), "PNG", icc_profile=profile, pnginfo=text)


def noise_png(at_least_bytes: int) -> bytes:
    """Random pixels do not compress: a real PNG of about that size."""
    side = int((at_least_bytes / 3) ** 0.5) + 8
    return encoded(Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)), "PNG")


def bomb_png(side=12_000) -> bytes:
    """A real decompression bomb: some 18 KB of PNG that decodes to 144 million pixels (over
    400 MB as RGB)."""
    return encoded(Image.new("1", (side, side)), "PNG")


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims another size: decoding it would try to fill it."""
    data = bytearray(png((10, 10)))
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


def animated(format: str) -> bytes:
    """Two frames, red then blue: only the first is kept."""
    frames = [picture(colour=RED), picture(colour=BLUE)]
    return encoded(frames[0], format, save_all=True, append_images=frames[1:], duration=200)


def cmyk_jpeg() -> bytes:
    """Print shops send CMYK; full magenta and yellow is red on screen."""
    return encoded(picture(colour=(0, 255, 255, 0), mode="CMYK"), "JPEG", quality=95)


def transparent_png() -> bytes:
    """Fully transparent except a red square in the middle."""
    image = Image.new("RGBA", (400, 600), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (100, 200, 300, 400))
    return encoded(image, "PNG")


def grey_16_bit_png() -> bytes:
    return encoded(Image.new("I;16", (400, 600), 128 * 256), "PNG")


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def corrupted_png() -> bytes:
    """A PNG with its pixel data overwritten: the checksum no longer matches."""
    data = bytearray(encoded(split_picture((400, 600)), "PNG"))
    start = data.index(b"IDAT") + 8
    data[start : start + 40] = b"\x00" * 40
    return bytes(data)


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def close_to(colour, expected, tolerance=25) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))
