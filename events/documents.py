"""The PDF documents of events: the visa invitation letter and the certificate of attendance.

Two pure functions (no database, no request): given the texts, they return the PDF's bytes.
events/letters.py gathers those texts and decides who may download what.

Choices:
- Drawn with fpdf2 (pure Python) and uharfbuzz (HarfBuzz's wheels): Arabic letters are
  joined and laid out right to left (fpdf2's own Unicode bidirectional algorithm), and a
  name in one script inside a text in another (an Arabic name in an English letter) is
  placed right. No system library and no system font is used, so the same inputs give the
  same bytes on every machine.
- Fonts are vendored in events/fonts/ (SIL OFL 1.1, about 3 MB): subsets of Noto Sans
  (Latin, Greek, Cyrillic), Noto Sans Arabic, and Noto Sans CJK SC reduced to GB 2312 (its
  6,763 hanzi cover everyday Chinese and nearly all names; the bold keeps the 3,755 most
  used, the rest is drawn in the regular weight). Only the glyphs a document uses are
  embedded: a letter is about 30-60 KB. A character no font has (an emoji, a rare hanzi
  outside GB 2312) is drawn as U+FFFD, never silently left out of a name.
- The visa letter is always in English with the Chinese of its key lines (title, addressee,
  the labels of the participant's details, who bears the costs): it is read by the
  embassies and consulates of the People's Republic of China, which work in Chinese and
  accept English. Its texts are therefore not translated; pass the nationality, the
  event's title, dates and place in English. The certificate is drawn in the participant's
  language (gettext), right to left in Arabic.
- Output is deterministic: the creation date is issued_on (midnight UTC) and the file's /ID
  is fpdf2's hash of the content.
- Every text is cleaned (control and formatting characters removed, whitespace collapsed,
  length capped) and drawn as plain text, never as markup: "<b>" prints as "<b>".
"""

import datetime
import logging
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

# fontTools logs each font subset fpdf2 embeds at INFO: pages of it per document.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
# family: (regular, bold) files in events/fonts/
FONT_FILES = {
    "sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "arabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    "chinese": ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf"),
}

BLUE = (11, 61, 107)  # --wiits-blue of static/css/site.css
INK = (33, 37, 41)
GREY = (90, 98, 106)
RULE = (190, 200, 210)

# Longest texts drawn, in characters: longer ones are cut with an ellipsis so that a letter
# stays on one page and a certificate's name on two lines.
MAX_NAME = 120
MAX_SHORT = 80  # nationality, passport number, reference, city, country, dates
MAX_TITLE = 200  # event title, venue, signatory's title

REPLACEMENT = "\ufffd"
# Kept among the formatting characters: the joiners some Arabic-script and Indic names need.
_JOINERS = {"\u200c", "\u200d"}
_SPACES = set("\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029")

ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The visa letter's Chinese lines: fixed, like the English they stand beside.
ZH_TITLE = "邀请函"
ZH_ADDRESSEE = "致中华人民共和国驻外使领馆"
ZH_LETTERHEAD = "世界工业创新技术合作 · 联合国工业发展组织投资和技术促进办公室（上海）· 上海交通大学"  # noqa: RUF001 (Chinese brackets)
ZH_COSTS = "费用由被邀请人自行承担"


# --- Text ---------------------------------------------------------------------------------


@cache
def _cmaps() -> dict[str, frozenset[int]]:
    """The code points each family can draw (in its regular weight, the larger)."""
    from fontTools.ttLib import TTFont  # fpdf2's dependency; only needed here

    return {
        family: frozenset(TTFont(FONTS / regular, lazy=True).getBestCmap())
        for family, (regular, _bold) in FONT_FILES.items()
    }


@cache
def _covered() -> frozenset[int]:
    """The code points some vendored font can draw."""
    return frozenset().union(*_cmaps().values())


def _fallbacks(main: str, texts: list[str]) -> list[str]:
    """The families besides `main` that `texts` need: each one read costs time (the Chinese
    one about half a second), so a document registers only those it draws with."""
    missing = {ord(char) for text in texts for char in text} - _cmaps()[main]
    return [family for family in FONT_FILES if family != main and missing & _cmaps()[family]]


def clean_text(value: object, limit: int) -> str:
    """`value` as one line of plain text that the fonts can draw: control and formatting
    characters (bidi overrides included) removed, line breaks and runs of spaces made one
    space, characters no font has replaced by U+FFFD, cut to `limit` characters."""
    covered = _covered()
    kept = []
    for char in str(value if value is not None else ""):
        if char in _SPACES:
            kept.append(" ")
        elif char in _JOINERS:
            kept.append(char)
        elif unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            continue
        elif ord(char) in covered or char.isspace():
            kept.append(char)
        else:
            kept.append(REPLACEMENT)
    text = " ".join("".join(kept).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def english_date(day: datetime.date) -> str:
    """6 December 2026: the United Nations' English style, the same under every locale."""
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def _join(parts: list[str], separator: str = ", ") -> str:
    return separator.join(part for part in parts if part)


# --- The document -------------------------------------------------------------------------


class _Document(FPDF):
    """An A4 page with the vendored fonts, text shaping and fixed metadata."""

    def __init__(self, *, orientation: str, issued_on: datetime.date, texts: list[str], rtl: bool = False) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.rtl = rtl
        self.main_family = "arabic" if rtl else "sans"
        fallbacks = _fallbacks(self.main_family, texts)
        for family in (self.main_family, *fallbacks):
            regular, bold = FONT_FILES[family]
            self.add_font(family, "", str(FONTS / regular))
            self.add_font(family, "B", str(FONTS / bold))
        self.set_fallback_fonts(fallbacks, exact_match=False)
        # Each paragraph takes its direction from its first letter (Unicode's rule): an Arabic
        # sentence runs right to left, a venue's Latin name left to right, in any document.
        self.set_text_shaping(use_shaping_engine=True)
        self.set_creation_date(datetime.datetime.combine(issued_on, datetime.time(), tzinfo=datetime.UTC))
        self.set_creator("WiiTs portal")
        self.set_producer("WiiTs portal (fpdf2)")
        self.set_auto_page_break(auto=True, margin=20)

    def use(self, size: float, *, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        self.set_font(self.main_family, "B" if bold else "", size)
        self.set_text_color(*colour)
        # fpdf2 2.8.9 sets the page's font inside the q/Q of a line whose first characters come
        # from a fallback font (a line in Chinese under a Latin font), so the font is lost after
        # that line while fpdf2 takes it as set: the next line is drawn with the glyph numbers
        # of one font in another. Setting it on the page here, outside any q/Q, avoids that.
        if self.page and not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))

    def paragraph(self, text: str, *, height: float, align: str | None = None, width: float = 0) -> None:
        """A block of text from the left margin, wrapped, starting on a new line."""
        self.set_x(self.l_margin)
        self.multi_cell(
            width,
            height,
            text,
            align=align or ("R" if self.rtl else "L"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def rule(self, colour: tuple[int, int, int] = RULE, width: float = 0.3) -> None:
        self.set_draw_color(*colour)
        self.set_line_width(width)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())

    def fit_size(self, text: str, *, largest: float, smallest: float, width: float, lines: int, bold: bool) -> float:
        """The largest font size from `largest` down to `smallest` at which `text` takes at
        most `lines` lines of `width`."""
        size = largest
        while size > smallest:
            self.use(size, bold=bold)
            if self.get_string_width(text) <= width * lines * 0.92:
                break
            size -= 1
        return size

    def bytes(self) -> bytes:
        return bytes(self.output())


def _letterhead(pdf: _Document, *, names: tuple[str, str], chinese: str = "", align: str = "L") -> None:
    pdf.set_fill_color(*BLUE)
    pdf.rect(0, 0, pdf.w, 6, style="F")
    pdf.set_fill_color(255, 255, 255)
    pdf.set_y(11)
    pdf.use(15, bold=True, colour=BLUE)
    pdf.paragraph(names[0], height=7, align=align)
    pdf.use(9.5, colour=GREY)
    pdf.paragraph(names[1], height=5, align=align)
    if chinese:
        pdf.use(9, colour=GREY)
        pdf.paragraph(chinese, height=5, align=align)
    pdf.ln(2)
    pdf.rule(BLUE, 0.6)
    pdf.ln(4)


# --- The visa invitation letter -----------------------------------------------------------


def visa_letter_pdf(
    *,
    language: str,
    reference: str,
    issued_on: datetime.date,
    full_name: str,
    nationality: str,
    passport_number: str,
    date_of_birth: datetime.date,
    passport_expiry: datetime.date,
    arrival: datetime.date,
    departure: datetime.date,
    event_title: str,
    event_dates: str,
    venue: str,
    city: str,
    country: str,
    signatory_name: str,
    signatory_title: str,
) -> bytes:
    """The letter inviting a participant to the event, for their visa application to China.

    In English with the Chinese of its key lines, whatever `language` (the reader's, one of
    settings.LANGUAGES; checked, not used): the letter is addressed to China's embassies
    and consulates. The costs are borne by the participant."""
    _check_language(language)
    name = clean_text(full_name, MAX_NAME)
    reference = clean_text(reference, MAX_SHORT)
    event = clean_text(event_title, MAX_TITLE)
    place = _join([clean_text(venue, MAX_TITLE), clean_text(city, MAX_SHORT), clean_text(country, MAX_SHORT)])
    dates = clean_text(event_dates, MAX_SHORT)
    nationality = clean_text(nationality, MAX_SHORT)
    passport_number = clean_text(passport_number, MAX_SHORT)
    texts = [name, reference, event, place, dates, nationality, passport_number, signatory_name, signatory_title]
    texts += [ZH_LETTERHEAD, ZH_TITLE, ZH_ADDRESSEE, ZH_COSTS]
    pdf = _Document(orientation="P", issued_on=issued_on, texts=texts)
    pdf.set_margins(22, 15, 22)
    pdf.set_title(f"Letter of invitation {reference}")
    pdf.set_subject(event)
    pdf.set_author("World Industrial Innovative Technology Cooperations (WiiTs)")
    pdf.set_lang("en")
    pdf.add_page()
    _letterhead(
        pdf,
        names=(
            "World Industrial Innovative Technology Cooperations (WiiTs)",
            "UNIDO Investment and Technology Promotion Office (ITPO) Shanghai · Shanghai Jiao Tong University",
        ),
        chinese=ZH_LETTERHEAD,
    )

    top = pdf.get_y()
    pdf.use(10)
    pdf.paragraph(f"Ref.: {reference}", height=5, width=(pdf.epw / 2))
    pdf.set_xy(pdf.l_margin + pdf.epw / 2, top)
    pdf.multi_cell(
        pdf.epw / 2, 5, f"Shanghai, {english_date(issued_on)}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(3)

    pdf.use(14, bold=True, colour=BLUE)
    pdf.paragraph(f"LETTER OF INVITATION  {ZH_TITLE}", height=7, align="C")
    pdf.ln(3)

    pdf.use(10, bold=True)
    pdf.paragraph("To whom it may concern", height=5)
    pdf.paragraph("To the Embassy or Consulate of the People's Republic of China", height=5)
    pdf.use(10)
    pdf.paragraph(ZH_ADDRESSEE, height=5)
    pdf.ln(2)

    pdf.use(10)
    pdf.paragraph("Dear Sir or Madam,", height=5)
    pdf.ln(1)
    pdf.paragraph(
        f"World Industrial Innovative Technology Cooperations (WiiTs), an initiative of the UNIDO Investment "
        f"and Technology Promotion Office (ITPO) Shanghai and Shanghai Jiao Tong University, is pleased to "
        f"invite {name} to attend {event}, to be held at {place} on {dates}.",
        height=5,
    )
    pdf.ln(3)

    rows = [
        ("Full name", "姓名", name),
        ("Nationality", "国籍", nationality),
        ("Date of birth", "出生日期", english_date(date_of_birth)),
        ("Passport number", "护照号码", passport_number),
        ("Passport valid until", "护照有效期至", english_date(passport_expiry)),
        ("Purpose of visit", "来华事由", f"To attend {event}"),
        ("Place", "地点", place),
        ("Event dates", "活动日期", dates),
        ("Arrival in China", "抵华日期", english_date(arrival)),
        ("Departure from China", "离华日期", english_date(departure)),
        ("Costs", "费用", f"Borne by the participant  {ZH_COSTS}"),
    ]
    _details(pdf, rows)
    pdf.ln(3)

    pdf.use(10)
    pdf.paragraph(
        f"{name} will arrive in China on {english_date(arrival)} and leave on {english_date(departure)}. "
        "All costs of travel, accommodation, insurance and subsistence are borne by the participant; this "
        "letter does not commit the organizers to any financial responsibility.",
        height=5,
    )
    pdf.ln(1)
    pdf.paragraph(
        "We would be grateful if the appropriate visa could be granted to the participant. Please quote the "
        "reference above in any correspondence about this letter.",
        height=5,
    )
    pdf.ln(3)
    pdf.paragraph("Yours faithfully,", height=5)
    pdf.ln(16)
    _signature(pdf, signatory_name, signatory_title, "World Industrial Innovative Technology Cooperations (WiiTs)")
    _footer(pdf, f"Letter of invitation {ZH_TITLE} · Ref. {reference} · {english_date(issued_on)}")
    return pdf.bytes()


def _details(pdf: _Document, rows: list[tuple[str, str, str]]) -> None:
    """The participant's details: English and Chinese label, then the value, in a table."""
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.use(9.5)
    with pdf.table(
        col_widths=(50, 90),
        first_row_as_headings=False,
        borders_layout="HORIZONTAL_LINES",
        line_height=4.4,
        padding=(0.9, 2, 0.9, 2),
        text_align=("LEFT", "LEFT"),
    ) as table:
        for english, chinese, value in rows:
            row = table.row()
            row.cell(f"{english} {chinese}", style=FontFace(color=GREY))
            row.cell(value, style=FontFace(color=INK))


def _signature(pdf: _Document, name: str, title: str, organization: str, *, align: str | None = None) -> None:
    pdf.use(10, bold=True)
    pdf.paragraph(clean_text(name, MAX_NAME), height=5, align=align)
    pdf.use(10)
    pdf.paragraph(clean_text(title, MAX_TITLE), height=5, align=align)
    pdf.paragraph(organization, height=5, align=align)


def _footer(pdf: _Document, text: str) -> None:
    """A line at the foot of the last page."""
    pdf.set_auto_page_break(auto=False)
    pdf.set_y(pdf.h - 14)
    pdf.rule()
    pdf.ln(1.5)
    pdf.use(8, colour=GREY)
    pdf.paragraph(text, height=4, align="C")


def _check_language(language: str) -> None:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValueError(f"Not a language of the site: {language!r}")


# --- The certificate of attendance --------------------------------------------------------


def attendance_certificate_pdf(
    *,
    language: str,
    reference: str,
    issued_on: datetime.date,
    participant_name: str,
    event_title: str,
    event_dates: str,
    venue: str,
    city: str,
    country: str,
    signatory_name: str,
    signatory_title: str,
) -> bytes:
    """The certificate that the participant attended the event, in `language` (one of
    settings.LANGUAGES), on one landscape A4 page."""
    _check_language(language)
    rtl = translation.get_language_info(language)["bidi"]
    with translation.override(language):
        return _certificate(
            rtl=rtl,
            language=language,
            reference=clean_text(reference, MAX_SHORT),
            issued_on=issued_on,
            name=clean_text(participant_name, MAX_NAME),
            event=clean_text(event_title, MAX_TITLE),
            place=_join(
                [clean_text(venue, MAX_TITLE), clean_text(city, MAX_SHORT), clean_text(country, MAX_SHORT)],
                {"ar": "، ", "zh-hans": "，"}.get(language, ", "),  # noqa: RUF001 (Arabic and Chinese commas)
            ),
            dates=clean_text(event_dates, MAX_SHORT),
            signatory_name=signatory_name,
            signatory_title=signatory_title,
        )


def _certificate(
    *,
    rtl: bool,
    language: str,
    reference: str,
    issued_on: datetime.date,
    name: str,
    event: str,
    place: str,
    dates: str,
    signatory_name: str,
    signatory_title: str,
) -> bytes:
    wiits = _("World Industrial Innovative Technology Cooperations") + " (WiiTs)"
    itpo = _("UNIDO Investment and Technology Promotion Office (ITPO) Shanghai · Shanghai Jiao Tong University")
    title = _("Certificate of attendance")
    certify = _("This is to certify that")
    attended = _("has attended")
    reference_line = _("Reference: %(reference)s") % {"reference": reference}
    issued_line = _("Issued on %(date)s") % {"date": date_format(issued_on, "DATE_FORMAT")}
    signatory_name = clean_text(signatory_name, MAX_NAME)
    signatory_title = clean_text(signatory_title, MAX_TITLE)
    texts = [wiits, itpo, title, certify, attended, reference_line, issued_line, name, event, place, dates]
    pdf = _Document(orientation="L", issued_on=issued_on, texts=[*texts, signatory_name, signatory_title], rtl=rtl)
    pdf.set_margins(28, 16, 28)
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(f"{title} {reference}")
    pdf.set_subject(event)
    pdf.set_author(wiits)
    pdf.set_lang(translation.to_locale(language).replace("_", "-"))
    pdf.add_page()
    # A double frame.
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    pdf.set_y(22)
    pdf.use(14, bold=True, colour=BLUE)
    pdf.paragraph(wiits, height=7, align="C")
    pdf.use(10, colour=GREY)
    pdf.paragraph(itpo, height=5, align="C")
    pdf.ln(12)

    pdf.use(30, bold=True, colour=BLUE)
    pdf.paragraph(title, height=14, align="C")
    pdf.ln(8)
    pdf.use(13)
    pdf.paragraph(certify, height=7, align="C")
    pdf.ln(3)
    size = pdf.fit_size(name, largest=28, smallest=14, width=pdf.epw, lines=2, bold=True)
    pdf.use(size, bold=True)
    pdf.paragraph(name, height=size * 0.5, align="C")
    pdf.ln(3)
    pdf.use(13)
    pdf.paragraph(attended, height=7, align="C")
    pdf.ln(2)
    size = pdf.fit_size(event, largest=19, smallest=12, width=pdf.epw, lines=2, bold=True)
    pdf.use(size, bold=True, colour=BLUE)
    pdf.paragraph(event, height=size * 0.48, align="C")
    pdf.ln(2)
    pdf.use(12)
    pdf.paragraph(place, height=6, align="C")
    pdf.paragraph(dates, height=6, align="C")

    # The foot: the reference and date on the reading side's start, the signature at its end.
    foot = pdf.h - 50
    half = pdf.epw / 2
    start_x, end_x = (pdf.l_margin + half, pdf.l_margin) if rtl else (pdf.l_margin, pdf.l_margin + half)
    start_align, end_align = ("R", "L") if rtl else ("L", "R")
    pdf.use(10, colour=GREY)
    for offset, line in enumerate((reference_line, issued_line)):
        pdf.set_xy(start_x, foot + 14 + offset * 5.5)
        pdf.multi_cell(half, 5.5, line, align=start_align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.3)
    line_start = end_x + (0 if rtl else half - 70)
    pdf.line(line_start, foot + 12, line_start + 70, foot + 12)
    pdf.set_xy(end_x, foot + 13)
    pdf.use(11, bold=True)
    pdf.multi_cell(half, 5.5, signatory_name, align=end_align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(end_x)
    pdf.use(10, colour=GREY)
    pdf.multi_cell(half, 5, signatory_title, align=end_align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return pdf.bytes()
