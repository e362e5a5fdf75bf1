"""Checks for uploaded files: by content, never by name or declared type."""

import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 24_000_000  # 24 megapixels (a large phone photo); past that it is a bomb to us
MAX_IMAGE_SIDE = 1600  # stored images are scaled down to fit this box
# MPO is how Pillow names the JPEGs of many phones (an extra depth image inside).
ACCEPTED_IMAGE_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
MAX_BROCHURE_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def reencode_image(upload) -> ContentFile:
    """Return the upload re-encoded as a fresh JPEG, or raise ValidationError.

    Re-encoding keeps only pixels: anything a file hides after or inside its image data
    (HTML, scripts, EXIF) is dropped, and the stored file is always a plain JPEG.
    """
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)s); the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMAGE_BYTES)},
            code="too_large",
        )
    not_an_image = ValidationError(_("Upload a JPEG, PNG or WebP image."), code="invalid_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                if probe.format not in ACCEPTED_IMAGE_FORMATS:
                    raise not_an_image
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                # JPEG can decode straight at a reduced size: far less memory for big photos.
                image.draft("RGB", (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
                image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))  # scale down before any conversion
                image = ImageOps.exif_transpose(image)
                if image.mode in ("RGBA", "LA", "P", "PA"):
                    image = image.convert("RGBA")
                    background = Image.new("RGB", image.size, (255, 255, 255))
                    background.paste(image, mask=image.getchannel("A"))
                    image = background
                elif image.mode != "RGB":
                    image = image.convert("RGB")
                buffer = BytesIO()
                image.save(buffer, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise not_an_image from exc
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt image data
        raise not_an_image from exc
    return ContentFile(buffer.getvalue(), name="image.jpg")


def check_brochure(upload):
    """Accept a real PDF of at most 10 MB; raise ValidationError otherwise."""
    if upload.size > MAX_BROCHURE_BYTES:
        raise ValidationError(
            _("The brochure is too large (%(size)s); the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BROCHURE_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(_("The brochure must be a PDF file."), code="not_pdf")
    return upload
