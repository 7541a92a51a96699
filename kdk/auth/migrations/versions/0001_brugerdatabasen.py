"""The user database as it stood when migrations began: users, rights, sessions, login throttling, audit log,
pending logins, TOTP steps, API tokens and follow sessions.

Also adopts a database an older version of the app made with `create_all` (no alembic_version): tables it lacks
are created, columns a later version added (nullable) are added to the tables it has, and on PostgreSQL the TOTP
secret columns are widened to 200 characters (their encrypted form; an older version declared 64).

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

schema = sa.MetaData()
sa.Table(
    "bruger", schema,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("brugernavn", sa.String(100), nullable=False, unique=True),
    sa.Column("kodeord_hash", sa.String(200), nullable=False),
    sa.Column("rolle", sa.String(20), nullable=False),
    sa.Column("kommunekode", sa.String(3)),
    sa.Column("aktiv", sa.Boolean, nullable=False),
    sa.Column("skal_skifte_kodeord", sa.Boolean, nullable=False),
    sa.Column("totp_hemmelighed", sa.String(200)),
    sa.Column("oprettet", sa.DateTime, nullable=False),
    sa.Column("udloeber", sa.DateTime),
)
sa.Table(
    "bruger_omraade", schema,
    sa.Column("bruger_id", sa.Integer, sa.ForeignKey("bruger.id"), primary_key=True),
    sa.Column("dataomraade", sa.String(40), primary_key=True),
)
sa.Table(
    "session", schema,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("bruger_id", sa.Integer, sa.ForeignKey("bruger.id"), nullable=False),
    sa.Column("oprettet", sa.DateTime, nullable=False),
    sa.Column("sidst_aktiv", sa.DateTime, nullable=False),
    sa.Column("afsluttet", sa.DateTime),
)
sa.Table(
    "login_forsoeg", schema,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("brugernavn", sa.String(100), nullable=False, index=True),
    sa.Column("adresse", sa.String(64), nullable=False, index=True),
    sa.Column("tidspunkt", sa.DateTime, nullable=False, index=True),
    sa.Column("lykkedes", sa.Boolean, nullable=False),
)
sa.Table(
    "audit", schema,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("tidspunkt", sa.DateTime, nullable=False, index=True),
    sa.Column("bruger", sa.String(100)),
    sa.Column("handling", sa.String(60), nullable=False),
    sa.Column("detaljer", sa.Text, nullable=False),
    sa.Column("adresse", sa.String(64)),
)
sa.Table(
    "afventende_login", schema,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("bruger_id", sa.Integer, sa.ForeignKey("bruger.id"), nullable=False, index=True),
    sa.Column("kodeord_bekraeftet", sa.DateTime, nullable=False),
    sa.Column("ny_hemmelighed", sa.String(200)),
)
sa.Table(
    "totp_trin", schema,
    sa.Column("bruger_id", sa.Integer, sa.ForeignKey("bruger.id"), primary_key=True),
    sa.Column("trin", sa.Integer, nullable=False),
)
sa.Table(
    "api_token", schema,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("bruger_id", sa.Integer, sa.ForeignKey("bruger.id"), nullable=False),
    sa.Column("navn", sa.String(100), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
    sa.Column("oprettet", sa.DateTime, nullable=False),
    sa.Column("tilbagekaldt", sa.DateTime),
)
sa.Table(
    "foelg_session", schema,
    sa.Column("kode", sa.String(6), primary_key=True),
    sa.Column("vaert_id", sa.Integer, sa.ForeignKey("bruger.id"), nullable=False, index=True),
    sa.Column("oprettet", sa.DateTime, nullable=False),
    sa.Column("udloeber", sa.DateTime, nullable=False),
    sa.Column("afsluttet", sa.DateTime),
    sa.Column("adresse", sa.String(500), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)
SECRETS = {"bruger": "totp_hemmelighed", "afventende_login": "ny_hemmelighed"}


def upgrade() -> None:
    bind = op.get_bind()
    stored = sa.inspect(bind)
    for table in schema.sorted_tables:
        if not stored.has_table(table.name):
            table.create(bind)
            continue
        columns = {c["name"]: c["type"] for c in stored.get_columns(table.name)}
        for column in table.columns:
            if column.name not in columns:
                op.add_column(table.name, sa.Column(column.name, column.type))
        secret = SECRETS.get(table.name, "")
        length = getattr(columns.get(secret), "length", None) or 200   # SQLite does not enforce a VARCHAR's length
        if bind.dialect.name == "postgresql" and length < 200:
            op.alter_column(table.name, secret, type_=sa.String(200))


def downgrade() -> None:
    for table in reversed(schema.sorted_tables):
        op.drop_table(table.name)
