"""Text cells no spreadsheet evaluates, following OWASP's advice against CSV injection: a text that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading apostrophe, so Excel, LibreOffice and
Google Sheets show it as text instead of running it as a formula. Every CSV and xlsx writer (the databank CSV, the
API's CSV and xlsx, the catalogue CSV) passes its text cells through `tekst`; numbers never do, so a negative
number stays a number.

The apostrophe is used in xlsx too, although an xlsx string cell is never evaluated as it is opened: a user who
edits such a cell and presses Enter re-enters it, and without the apostrophe it becomes a live formula then. It also
keeps the CSV and the workbook of the same rows equal cell for cell. Pure; reads and writes nothing.
"""
from __future__ import annotations

LIVE = ("=", "+", "-", "@", "\t", "\r")


def tekst(value):
    """`value` as a cell: a text starting with a character a spreadsheet evaluates gets a leading apostrophe;
    anything else (other text, numbers, None) is returned unchanged."""
    if isinstance(value, str) and value.startswith(LIVE):
        return "'" + value
    return value
