"""Spreadsheets that staff import and export in the admin (django-import-export): CSV and
XLSX, their cells read as people write them in the six languages, and written so that no
spreadsheet program runs them. Each app's `resources.py` says which columns its rows have;
docs/IMPORT.md explains them to staff.

Reading (import)
- A cell is text as it was typed: a formula is never evaluated (XLSX is read for its values
  only, as django-import-export does), and the quote an export put before a formula
  character (`common.exports.csv_safe`) is taken off again, so an exported file imports back
  as it was.
- Countries by ISO code (CN or CHN) or by name in any of the six languages (CLDR's names,
  the United Nations' of common/countries.py, the English names of ISO 3166 and a few
  common short names), compared without case, accents or curly quotes.
- Sectors and cooperation types by slug or by name in any of the languages (their names
  are translated through the message catalogue); SDGs by number; choices (kinds, modes,
  intellectual property) by value or by label in any language.
- Lists are separated by ";" (or by commas, where no item holds one).
- Every problem is an error of its row and column, in the language of the staff member who
  imports, never a server error; a file with unknown columns is refused as a whole.

All or nothing (`SpreadsheetResource.import_data`): the confirmed import checks the whole
file first and writes only if every row is valid, in one transaction that rolls back on any
error of any row, including one found only while writing.

Writing (export): every text cell goes through `csv_safe` (CSV and XLSX alike), characters
XLSX cannot hold are dropped; codes rather than names (countries, sectors, SDGs), so a
partner site reads the same file whatever the language of whoever exported it.

A file holds at most `max_rows` rows (1 000 listings, 5 000 organisations...): what its
confirmation writes must fit in one request. The checks cost about half a millisecond a row;
writing a listing through its service (address, lists, search index) about ten.

The admin side (`SpreadsheetAdmin`): import needs the model's add permission, export its
view (or change) permission; the uploaded file waits for the confirmation in the database
cache (both machines of a deployment see it), not in one machine's temporary folder.
"""
