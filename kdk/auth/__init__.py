"""Users, roles, data-area rights, sessions, login throttling, second-factor codes, pending logins, API tokens and
the audit log.

Stored in a database of its own (SQLite file by default, separate from the read-only marts); a shared
PostgreSQL serves several app servers by setting KDK_BRUGER_DB to its URL, with no code change.
Never imports dash or flask: the Flask glue is in web/login.py.
"""
