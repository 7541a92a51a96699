"""Building the marts: sources and demo data in, a verified DuckDB file out (see build.py)."""
