"""The screenshot comparison of the browser tests (tests/screenshot_compare.py): it fails
on a layout change and forgives what differs between two runs."""

from pathlib import Path

from PIL import Image, ImageDraw

from tests.screenshot_compare import SHARE_TOLERANCE, differing_share

ISSUE_22 = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "issue-22"


def screen(filters_at: int, word: str, shift: int = 0) -> Image.Image:
    """A drawn phone screen: a header with a word, a block of fields, lines of results."""
    image = Image.new("RGB", (390, 844), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 390, 60), fill=(11, 61, 107))
    draw.text((12 + shift, 20), word, fill="white")
    for line in range(12):
        draw.rectangle((12, filters_at + line * 40, 378, filters_at + line * 40 + 30), outline="grey", width=2)
    for line in range(10):
        draw.text((12 + shift, 600 - filters_at // 2 + line * 20), "A result's summary, a line of text.", fill="black")
    return image


def test_the_same_image_does_not_differ():
    assert differing_share(screen(100, "WiiTs"), screen(100, "WiiTs")) == 0


def test_a_word_changed_or_text_a_pixel_off_is_forgiven():
    assert differing_share(screen(100, "WiiTs"), screen(100, "WiiTs!")) < SHARE_TOLERANCE
    assert differing_share(screen(100, "WiiTs"), screen(100, "WiiTs", shift=1)) < SHARE_TOLERANCE


def test_a_block_moved_down_the_screen_fails():
    assert differing_share(screen(100, "WiiTs"), screen(400, "WiiTs")) > SHARE_TOLERANCE


def test_the_catalogue_with_its_filters_above_the_results_fails():
    """The phone catalogue before issue 22 (every filter above the results) and after."""
    before = Image.open(ISSUE_22 / "phone-before-phone-catalogue-en.png")
    after = Image.open(ISSUE_22 / "phone-after-phone-catalogue-en.png")
    assert differing_share(before, after) > 10 * SHARE_TOLERANCE
