# ruff: noqa: RUF001 -- names in Arabic and Chinese script
"""The visa invitation letter and the certificate of attendance (events/documents.py): real
PDFs, read back with pypdf; the same inputs give the same bytes; any script and any input
is drawn without an error. Pure functions: no database."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from events import documents

D = datetime.date

EVENT = {
    "event_title": "WiiTs Global Forum on Sustainable Industrial Technology 2026",
    "event_dates": "18 to 20 September 2026",
    "venue": "Shanghai Jiao Tong University, Xuhui Campus",
    "city": "Shanghai",
    "country": "China",
    "signatory_name": "Li Wei",
    "signatory_title": "Head, UNIDO ITPO Shanghai",
}
PERSON = {
    "full_name": "Ahmed Mohamed Abdel Rahman",
    "nationality": "Egypt",
    "passport_number": "A27493815",
    "date_of_birth": D(1985, 3, 14),
    "passport_expiry": D(2030, 1, 31),
    "arrival": D(2026, 9, 16),
    "departure": D(2026, 9, 22),
}


def letter(**changes) -> bytes:
    values = {"language": "en", "reference": "WIITS-VISA-2026-0042", "issued_on": D(2026, 7, 1), **PERSON, **EVENT}
    return documents.visa_letter_pdf(**{**values, **changes})


def certificate(**changes) -> bytes:
    values = {
        "language": "en",
        "reference": "WIITS-ATT-7-123",
        "issued_on": D(2026, 9, 20),
        "participant_name": "Maria González",
        **EVENT,
    }
    return documents.attendance_certificate_pdf(**{**values, **changes})


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    return PdfReader(io.BytesIO(pdf))


def text(pdf: bytes) -> str:
    """The text of every page, whitespace made single spaces (pypdf 7.1 reads a NUL before
    each character of the Chinese font: dropped)."""
    pages = (page.extract_text().replace("\x00", "") for page in read(pdf).pages)
    return " ".join(" ".join(page.split()) for page in pages)


def squeezed(pdf: bytes) -> str:
    """The text without any whitespace: pypdf puts spaces between Chinese characters."""
    return re.sub(r"\s+", "", text(pdf))


def fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in read(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


# --- The visa letter ------------------------------------------------------------------------


def test_the_letter_says_who_is_invited_to_what_and_when():
    pdf = letter()
    content = text(pdf)
    for expected in (
        "World Industrial Innovative Technology Cooperations (WiiTs)",
        "UNIDO Investment and Technology Promotion Office (ITPO) Shanghai",
        "Ref.: WIITS-VISA-2026-0042",
        "Shanghai, 1 July 2026",
        "LETTER OF INVITATION",
        "To whom it may concern",
        "To the Embassy or Consulate of the People's Republic of China",
        "Ahmed Mohamed Abdel Rahman",
        "Egypt",
        "A27493815",
        "14 March 1985",
        "31 January 2030",
        "WiiTs Global Forum on Sustainable Industrial Technology 2026",
        "Shanghai Jiao Tong University, Xuhui Campus, Shanghai, China",
        "18 to 20 September 2026",
        "16 September 2026",
        "22 September 2026",
        "borne by the participant",
        "Li Wei",
        "Head, UNIDO ITPO Shanghai",
    ):
        assert expected in content, expected
    # The Chinese of its key lines.
    for expected in ("邀请函", "致中华人民共和国驻外使领馆", "姓名", "护照号码", "费用由被邀请人自行承担"):
        assert expected in squeezed(pdf), expected
    reader = read(pdf)
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Letter of invitation WIITS-VISA-2026-0042"
    assert len(pdf) < 200_000


@pytest.mark.parametrize("language", ["en", "fr", "ar", "zh-hans"])
def test_the_letter_is_in_english_and_chinese_whatever_the_reader_s_language(language):
    assert letter(language=language) == letter(language="en")


def test_the_letter_refuses_a_language_the_site_does_not_have():
    with pytest.raises(ValueError, match="Not a language of the site"):
        letter(language="de")


def test_the_same_letter_twice_is_the_same_bytes_and_the_date_is_in_the_metadata():
    assert letter() == letter()
    assert letter() != letter(passport_number="A27493816")
    assert letter() != letter(issued_on=D(2026, 7, 2))
    created = read(letter()).metadata.creation_date
    assert created == datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)


# --- The certificate ------------------------------------------------------------------------


def test_the_certificate_says_who_attended_what_where_and_when():
    pdf = certificate()
    content = text(pdf)
    for expected in (
        "Certificate of attendance",
        "This is to certify that",
        "Maria González",
        "has attended",
        "WiiTs Global Forum on Sustainable Industrial Technology 2026",
        "Shanghai Jiao Tong University, Xuhui Campus, Shanghai, China",
        "18 to 20 September 2026",
        "Reference: WIITS-ATT-7-123",
        "Issued on",
        "Li Wei",
    ):
        assert expected in content, expected
    reader = read(pdf)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    assert certificate() == certificate()
    assert len(pdf) < 200_000


def test_the_certificate_is_in_the_participant_s_language():
    """The letterhead's name has its translations in the catalogues already (the footer's);
    the certificate's own sentences follow once their translations are merged."""
    assert "Coopération mondiale en matière de technologies industrielles innovantes" in text(
        certificate(language="fr")
    )
    assert "世界工业创新技术合作" in squeezed(certificate(language="zh-hans"))
    assert "World Industrial Innovative Technology Cooperations" in text(certificate(language="en"))


# --- Scripts ----------------------------------------------------------------------------------


def test_an_arabic_name_is_drawn_with_the_arabic_font_and_read_back():
    """pypdf reads a line wholly in Arabic in its logical order; the font embedded for it is
    Noto Sans Arabic (shaping and direction are checked by eye: docs/screenshots/issue-22)."""
    name = "أحمد محمد عبد الرحمن"
    pdf = certificate(language="ar", participant_name=name, event_title="منتدى التكنولوجيا الصناعية المستدامة")
    assert name in text(pdf)
    assert "منتدى التكنولوجيا الصناعية المستدامة" in text(pdf)
    assert "NotoSansArabicBold" in fonts(pdf)
    in_a_letter = letter(full_name=f"Ahmed Mohamed Abdel Rahman ({name})")
    assert "NotoSansArabic" in fonts(in_a_letter)
    for word in name.split():
        assert word in text(in_a_letter)


def test_a_chinese_name_is_drawn_with_the_chinese_font_and_read_back():
    pdf = certificate(language="zh-hans", participant_name="陈伟明", event_title="可持续工业技术全球论坛")
    assert "陈伟明" in squeezed(pdf)
    assert "可持续工业技术全球论坛" in squeezed(pdf)
    assert "NotoSansCJKSCBold" in fonts(pdf)
    # A less common hanzi (GB 2312's second level) in bold is drawn with the regular weight.
    assert "婧" in squeezed(certificate(participant_name="王婧"))
    assert "TanWeiMing(陈伟明)" in squeezed(letter(full_name="Tan Wei Ming (陈伟明)"))


def test_a_cyrillic_name_is_read_back():
    name = "Иван Петрович Сидоров"
    assert name in text(certificate(language="ru", participant_name=name))
    assert name in text(letter(full_name=name, nationality="Российская Федерация"))


def test_a_character_no_font_has_shows_as_a_replacement_not_as_nothing():
    assert documents.clean_text("Ana 😀 Li", 50) == "Ana \ufffd Li"
    assert documents.clean_text("𠀀", 50) == "\ufffd"  # CJK Extension B: outside GB 2312
    content = text(certificate(participant_name="Ana 😀 Li"))
    assert "Ana \ufffd Li" in content


# --- Hostile input ----------------------------------------------------------------------------


def test_control_and_direction_characters_are_removed_and_markup_is_plain_text():
    name = "Eve\x00\x1b[31m <b>Bold</b>\u202eevil\u202c\nNext line\tTab"
    assert documents.clean_text(name, 200) == "Eve[31m <b>Bold</b>evil Next line Tab"
    # The joiners some names need are kept.
    assert documents.clean_text("می\u200cخواهم", 50) == "می\u200cخواهم"
    content = text(certificate(participant_name=name)) + text(letter(full_name=name))
    assert "<b>Bold</b>" in content
    assert "\u202e" not in content
    assert "\x1b" not in content


def test_very_long_texts_are_cut_and_keep_each_document_to_its_pages():
    long = "Wolfeschlegelsteinhausenbergerdorff " * 200
    unbroken = "X" * 5000
    pdf = letter(
        full_name=long,
        nationality=unbroken,
        passport_number=unbroken,
        reference=unbroken,
        event_title=long,
        venue=long,
        city=unbroken,
        country=unbroken,
        event_dates=unbroken,
        signatory_name=long,
        signatory_title=long,
    )
    assert len(read(pdf).pages) <= 2
    assert "…" in text(pdf)
    cert = certificate(participant_name=unbroken, event_title=long, venue=long, city=long, reference=unbroken)
    assert len(read(cert).pages) == 1
    assert len(documents.clean_text(long, documents.MAX_NAME)) == documents.MAX_NAME


def test_empty_texts_still_give_a_document():
    pdf = certificate(participant_name="", event_title="", venue="", city="", country="", event_dates="")
    assert "Certificate of attendance" in text(pdf)
    assert read(letter(full_name=" ", venue="", city="", country="")).pages


def test_every_vendored_font_is_there_with_its_licence():
    for regular, bold in documents.FONT_FILES.values():
        assert (documents.FONTS / regular).stat().st_size > 50_000
        assert (documents.FONTS / bold).stat().st_size > 50_000
    assert "SIL OPEN FONT LICENSE" in (documents.FONTS / "OFL.txt").read_text()
