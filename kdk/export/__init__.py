"""Exports in the KL databank formats (see the spec `eksport.md`): the StatBank-style CSV, one PX file per key
figure, Excel, and the release bundle (zip with manifest). The writers are pluggable: each takes the export rows
(`rows.export_rows`) and returns bytes, so the column set can change without touching the rest."""
