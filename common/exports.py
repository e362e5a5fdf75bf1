"""Files that staff download and open in a spreadsheet program (CSV)."""

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google
# Sheets (tab and carriage return because importers trim them, and what follows counts).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A spreadsheet must not run a cell as a formula: a cell that starts with a formula
    character, after any white space an importer may trim, is prefixed with a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.lstrip().startswith(FORMULA_PREFIXES) or text.startswith(FORMULA_PREFIXES) else text
