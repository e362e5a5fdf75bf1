"""Files that staff download and open in a spreadsheet program (CSV and XLSX)."""

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google
# Sheets (tab and carriage return because importers trim them, and what follows counts).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A spreadsheet must not run a cell as a formula: a cell that starts with a formula
    character, after any white space an importer may trim, is prefixed with a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.lstrip().startswith(FORMULA_PREFIXES) or text.startswith(FORMULA_PREFIXES) else text


def xlsx_bytes(*, title: str, header: list, rows) -> bytes:
    """A one-sheet workbook (Office Open XML) of `header` and `rows`. Numbers stay numbers;
    text is always text: openpyxl would store a string starting with "=" as a formula, so
    every string cell is typed as a string, and characters XML cannot hold are dropped."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    # Sheet titles are at most 31 characters and may not hold []:*?/\
    sheet = workbook.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet")

    def cell(value, *, bold=False):
        if isinstance(value, bool) or value is None:
            value = "" if value is None else str(value)
        if isinstance(value, int | float):
            written = WriteOnlyCell(sheet, value=value)
        else:
            written = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
            written.data_type = "s"
        if bold:
            written.font = Font(bold=True)
        return written

    sheet.append([cell(value, bold=True) for value in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
