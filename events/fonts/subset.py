"""Rebuild the subset fonts of this folder (events/documents.py draws the PDFs with them).

Not run by the portal: a maintainer runs it once when a font or a subset changes, with the
full fonts from Debian's packages (SIL Open Font License 1.1, see OFL.txt):

    apt-get install fonts-noto-cjk && apt-get download fonts-noto-core
    dpkg-deb -x fonts-noto-core_*.deb /tmp/noto-core
    .venv/bin/python events/fonts/subset.py /tmp/noto-core/usr/share/fonts/truetype/noto \
        /usr/share/fonts/opentype/noto

fontTools comes with fpdf2. The subsets keep the OpenType layout tables of the Latin,
Cyrillic and Arabic fonts (Arabic needs them to join its letters) and drop those of the
Chinese ones (vertical and Japanese alternates: half of their size, unused here).
"""

import contextlib
import sys
from pathlib import Path

from fontTools import subset

HERE = Path(__file__).resolve().parent


def _gb2312(first_row: int, last_row: int) -> set[int]:
    """The characters of GB 2312 rows first_row..last_row (0xA1-0xAF symbols, 0xB0-0xD7 level 1
    hanzi, the 3,755 most used; 0xD8-0xF7 level 2, 3,008 more)."""
    chars = set()
    for high in range(first_row, last_row + 1):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # unassigned in GB 2312
                chars.add(ord(bytes([high, low]).decode("gb2312")))
    return chars


ASCII = set(range(0x20, 0x7F))
LATIN_CYRILLIC = (
    ASCII
    | set(range(0xA0, 0x250))  # Latin-1, Latin Extended-A and B
    | set(range(0x370, 0x530))  # Greek, Cyrillic, Cyrillic Supplement
    | set(range(0x1E00, 0x1F00))  # Latin Extended Additional (Vietnamese)
    | set(range(0x2000, 0x2070))  # general punctuation
    | set(range(0x20A0, 0x20C0))  # currency signs
    | {0x2116, 0x2122, 0xFFFD}  # numero sign, trade mark, replacement character
)
ARABIC = (
    ASCII
    | set(range(0x600, 0x700))
    | set(range(0x750, 0x780))
    | set(range(0x8A0, 0x900))
    | set(range(0xFB50, 0xFE00))
    | set(range(0xFE70, 0xFF00))
    | {0xA0, 0xAB, 0xBB, 0x200C, 0x200D, 0x200E, 0x200F}
)
CJK_PUNCTUATION = set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0)) | ASCII
CHINESE_REGULAR = _gb2312(0xA1, 0xF7) | CJK_PUNCTUATION
CHINESE_BOLD = _gb2312(0xA1, 0xD7) | CJK_PUNCTUATION  # level 2 falls back to the regular


def _subset(source: Path, target: str, unicodes: set[int], *, layout: bool, font_number: int = 0) -> None:
    options = subset.Options()
    options.layout_features = ["*"] if layout else []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.font_number = font_number
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    subset.save_font(font, str(HERE / target), options)
    print(target, (HERE / target).stat().st_size)


def main(noto_core: str, noto_cjk: str) -> None:
    core, cjk = Path(noto_core), Path(noto_cjk)
    for weight in ("Regular", "Bold"):
        _subset(core / f"NotoSans-{weight}.ttf", f"NotoSans-{weight}.ttf", LATIN_CYRILLIC, layout=True)
        _subset(core / f"NotoSansArabic-{weight}.ttf", f"NotoSansArabic-{weight}.ttf", ARABIC, layout=True)
    # In the collections, font 2 is Noto Sans CJK SC (simplified Chinese).
    _subset(cjk / "NotoSansCJK-Regular.ttc", "NotoSansSC-Regular.otf", CHINESE_REGULAR, layout=False, font_number=2)
    _subset(cjk / "NotoSansCJK-Bold.ttc", "NotoSansSC-Bold.otf", CHINESE_BOLD, layout=False, font_number=2)


if __name__ == "__main__":
    main(*sys.argv[1:3])
