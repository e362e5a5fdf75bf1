"""Screenshots compared with committed references, tolerant of what differs between two
runs on the same kind of machine (anti-aliasing, a glyph a pixel off) and strict about
layout (a block that moves, a header that grows).

Both images are turned grey and shrunk to a quarter of their width and height (each pixel
the mean of 16); a pixel differs when its grey level moves by more than PIXEL_TOLERANCE of
255, and the comparison fails when more than SHARE_TOLERANCE of the pixels differ.

`WIITS_UPDATE_SCREENSHOTS=1` writes the references instead of comparing: look at them
before committing them."""

import io
import os
import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageChops

PIXEL_TOLERANCE = 40
SHARE_TOLERANCE = 0.03


def differing_share(reference: Image.Image, new: Image.Image) -> float:
    """The share of pixels (0 to 1) that differ between two images of the same size."""
    size = (max(1, reference.width // 4), max(1, reference.height // 4))
    old = reference.convert("L").resize(size, Image.Resampling.BOX)
    now = new.convert("L").resize(size, Image.Resampling.BOX)
    moved = ImageChops.difference(old, now).point(lambda level: 255 if level > PIXEL_TOLERANCE else 0)
    return moved.histogram()[255] / (size[0] * size[1])


def assert_looks_like_reference(page, name: str, references: Path) -> None:
    """The page's viewport looks like `references/<name>.png`; when not, the new screenshot
    and an image of the differences are written to the temporary folder and named."""
    shot = page.screenshot(animations="disabled", caret="hide")
    reference_path = references / f"{name}.png"
    if os.environ.get("WIITS_UPDATE_SCREENSHOTS"):
        references.mkdir(exist_ok=True)
        reference_path.write_bytes(shot)
        return
    assert reference_path.exists(), (
        f"no reference screenshot {reference_path}: run the test with WIITS_UPDATE_SCREENSHOTS=1, "
        "look at the image and commit it"
    )
    reference, new = Image.open(reference_path), Image.open(io.BytesIO(shot))
    new_path = Path(tempfile.gettempdir()) / f"wiits-screenshot-{name}.png"
    if reference.size != new.size:
        new_path.write_bytes(shot)
        pytest.fail(f"{name}: the screenshot is {new.size}, its reference {reference.size}; the new one is {new_path}")
    share = differing_share(reference, new)
    if share > SHARE_TOLERANCE:
        new_path.write_bytes(shot)
        diff_path = new_path.with_name(f"wiits-screenshot-{name}-differences.png")
        ImageChops.difference(reference.convert("RGB"), new.convert("RGB")).save(diff_path)
        pytest.fail(
            f"{name}: {share:.1%} of the screen differs from {reference_path} (at most {SHARE_TOLERANCE:.0%} may). "
            f"The new screenshot is {new_path}, the differences {diff_path}; "
            "if the change is intended, copy the new screenshot over the reference."
        )
