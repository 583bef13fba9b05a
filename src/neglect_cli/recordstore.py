"""The record store: every assessment of every child, kept in a database, never lost.

SQLite by default (`$XDG_DATA_HOME/neglect-cli/records.sqlite3`, folder 0700,
file 0600); `NEGLECT_STORE` names another SQLite file or a `postgresql://` URL
that a team shares. The database layer is SQLAlchemy Core (psycopg 3 for
PostgreSQL), imported only by the commands that open a store.

Each row holds the sealed record exactly as written (its JSON text and sha256)
plus columns taken from it so that history and caseload never parse a record.
Rows are only ever inserted: a correction is a new record that supersedes an
earlier one (a row in `supersessions`, with a reason); only `purge`, a
retention policy run on purpose, deletes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .errors import UserError
from .storeinfo import SCHEMA_VERSION, STORE_ENV, bad_case_ref, default_store_path, is_postgres, sqlite_file

if TYPE_CHECKING:
    import sqlalchemy as sa

    from .chronology import Entry, ExportedEntry, NewEntry
    from .definition import Tool
    from .family import FamilyLink

SCHEMA_LOCK = 0x6E65676C  # PostgreSQL advisory lock held while the schema is created or upgraded
SEVERITY_RANK = {"info": 1, "consult": 2, "urgent": 3, "immediate": 4}


class StoreError(UserError):
    """The store could not be opened, read or written. Carries no record text, only what failed."""


def store_location(given: str | None = None) -> str:
    """Where the store is: `--store`, else `$NEGLECT_STORE`, else the default SQLite file."""
    location = given or os.environ.get(STORE_ENV)
    if not location:
        return default_store_path()
    scheme, sep, _ = location.partition("://")
    url = sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme)
    if url and not is_postgres(location) and not location.startswith("sqlite:///"):
        # `mysql://…` would otherwise become a SQLite file in ./mysql:/… — children's records kept where nobody
        # looks, while the team believes them in its shared store
        where = "--store" if given else STORE_ENV
        raise StoreError(
            f"{where}: a {scheme}:// URL is not a store neglect-cli can use: give a SQLite file's path, "
            "or a postgresql://user@host/db URL"
        )
    return location


def sqlite_path(location: str) -> Path:
    """The file of a SQLite store (`sqlite:///path` or a plain path)."""
    return Path(sqlite_file(location))


def shown_location(location: str) -> str:
    """The store as shown in messages: a PostgreSQL URL without its password."""
    if not is_postgres(location):
        return str(sqlite_path(location))
    scheme, _, rest = location.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if at and ":" in userinfo:
        userinfo = userinfo.split(":", 1)[0] + ":***"
    return f"{scheme}://{userinfo}{at}{host}"


def check_family_ref(ref: str) -> str:
    """Family refs are pseudonymous references, checked as case refs are."""
    problem = bad_case_ref(ref)
    if problem:
        raise UserError(problem.replace("case reference", "family reference"))
    return ref


def check_case_ref(ref: str) -> str:
    """Case refs are data: stored verbatim, but NUL, control characters and very long refs are refused."""
    problem = bad_case_ref(ref)
    if problem:
        raise UserError(problem)
    return ref


# --- what a row holds ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BandFacts:
    """What the store keeps of a band: its label, its position in the tool and review period."""

    label: str
    rank: int | None
    review_weeks: int | None


def band_facts(tool: Tool | None, band: str | None) -> BandFacts | None:
    if band is None:
        return None
    if tool is None:
        return BandFacts(label=band, rank=None, review_weeks=None)
    for rank, info in enumerate(tool.bands):
        if info.id == band:
            return BandFacts(label=info.label, rank=rank, review_weeks=info.review_weeks)
    return BandFacts(label=band, rank=None, review_weeks=None)


def review_due(assessed_on: str, weeks: int | None) -> str | None:
    """The record's review due date: its assessment date plus the final band's review period."""
    if weeks is None:
        return None
    return (dt.date.fromisoformat(assessed_on) + dt.timedelta(weeks=weeks)).isoformat()


def _flag(value: Any) -> bool:
    return value is True


def index_columns(record: Mapping[str, Any], tool: Tool | None, *, training: bool) -> dict[str, Any]:
    """The columns a record is found and listed by, read defensively (older records lack newer fields)."""
    case = record.get("case") or {}
    result = record.get("result") or {}
    overall = result.get("overall") or {}
    override = result.get("override") or None
    from .definition import reading_order

    # history and caseload list the prompts as a report does; the record keeps its own order
    ranks = {band.id: rank for rank, band in enumerate(tool.bands)} if tool is not None else {}
    escalations = sorted(
        result.get("escalations") or [],
        key=lambda e: reading_order(e.get("severity"), e.get("raised"), ranks.get(str(e.get("minimum_band")))),
    )
    computed = band_facts(tool, overall.get("computed_band"))
    escalated = band_facts(tool, overall.get("escalated_band"))
    final = band_facts(tool, overall.get("band"))
    prompts = [
        {"severity": str(e.get("severity")), "id": str(e.get("id")), "title": str(e.get("title"))} for e in escalations
    ]
    top = max((SEVERITY_RANK.get(p["severity"], 0) for p in prompts), default=0)
    lowered = False
    if override and final and escalated and final.rank is not None and escalated.rank is not None:
        lowered = final.rank < escalated.rank
    provisional = any(
        _flag(v) for v in (overall.get("incomplete"), overall.get("provisional"), result.get("provisional"))
    )
    assessed_on = str(case.get("assessed_on"))
    return {
        "case_ref": check_case_ref(str(case.get("ref"))),
        "assessed_on": assessed_on,
        "created_at": str(record.get("created_at")),
        "assessor": case.get("assessor"),
        "supervisor": case.get("supervisor"),
        "tool_id": str((record.get("tool") or {}).get("id")),
        "tool_version": str((record.get("tool") or {}).get("version")),
        "computed_band": overall.get("computed_band"),
        "computed_label": computed.label if computed else None,
        "escalated_band": overall.get("escalated_band"),
        "escalated_rank": escalated.rank if escalated else None,
        "final_band": overall.get("band"),
        "final_label": final.label if final else None,
        "final_rank": final.rank if final else None,
        "score": overall.get("score"),
        "coverage": overall.get("coverage"),
        "provisional": provisional,
        "overridden": override is not None,
        "lowered_by_override": lowered,
        "override_agreed_by": (override or {}).get("agreed_by"),
        "prompts": json.dumps(prompts, ensure_ascii=False),
        "prompts_shown": ", ".join(f"{p['severity'].upper()} {p['id']}" for p in prompts),
        "top_severity": top,
        "review_weeks": final.review_weeks if final else None,
        "review_due": review_due(assessed_on, final.review_weeks if final else None),
        "training": training,
        "redacted": _flag(record.get("redacted")),
        "escalated_label": escalated.label if escalated else None,
        **plan_columns(record),
    }


#: Schema 4's columns about a record's plan and its review of the last plan (caseload reads them, not the JSON).
PLAN_COLUMNS = ("record_format", "plan_first_by", "needs_not_achieved", "third_plan_needs")
#: The columns schema 4 adds to `records`.
SCHEMA_4_COLUMNS = ("escalated_label", *PLAN_COLUMNS)
#: The column schema 5 adds: every date the plan's actions are due by (caseload lists each one overdue).
SCHEMA_5_COLUMNS = ("plan_dates",)


def plan_columns(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record's format, the earliest date its plan's actions are due by and every such date (sorted, one
    per action, comma-separated), how many needs of the last plan its review found not achieved, and how
    many needs it carries into a third plan in a row."""
    plan = record.get("plan") or {}
    review = record.get("review") or {}
    planned = {str(need.get("item")) for need in plan.get("needs") or []}
    dates = [str(a.get("by")) for need in plan.get("needs") or [] for a in need.get("actions") or [] if a.get("by")]
    reviewed = review.get("needs") or []
    return {
        "record_format": str(record.get("schema")),
        "plan_first_by": min(dates) if dates else None,
        "plan_dates": ",".join(sorted(dates)) or None,
        "needs_not_achieved": sum(1 for n in reviewed if n.get("achieved") is False),
        "third_plan_needs": sum(
            1 for n in reviewed if str(n.get("item")) in planned and int(n.get("plans") or 1) + 1 >= 3
        ),
    }


class RowMaker:
    """Rows for sealed records, with the tools they name looked up once (`store import` runs one per worker)."""

    def __init__(self, version: int = SCHEMA_VERSION) -> None:
        self.version = version
        self._tools: dict[str, Tool | None] = {}

    def row(
        self, record: Mapping[str, Any], *, training: bool | None = None, tool: Tool | None = None
    ) -> dict[str, Any]:
        """The row for a sealed record: its indexed columns, sha256 and JSON text. `tool` is the tool the
        record was just made with (a file given by path need not be on the search path); else its own
        `id@version` is looked up."""
        sha = str((record.get("integrity") or {}).get("sha256"))
        marked = training if training is not None else record.get("training") is True
        columns = index_columns(record, tool if tool is not None else self.tool_of(record), training=marked)
        if self.version < 2:
            columns.pop("override_agreed_by")
        if self.version < 4:
            for name in SCHEMA_4_COLUMNS:
                columns.pop(name)
        if self.version < 5:
            for name in SCHEMA_5_COLUMNS:
                columns.pop(name)
        return {
            **columns,
            "sha256": sha,
            "stored_at": _now(),
            "body": json.dumps(record, ensure_ascii=False, separators=(",", ":")),
        }

    def tool_of(self, record: Mapping[str, Any]) -> Tool | None:
        """The record's own tool (`id@version`) when it is installed here, else None."""
        tool = record.get("tool") or {}
        key = f"{tool.get('id')}@{tool.get('version')}"
        if key not in self._tools:
            from .toolfiles import find_tool

            try:
                self._tools[key] = find_tool(key).tool
            except UserError:
                self._tools[key] = None
        return self._tools[key]


# --- the schema ---------------------------------------------------------------------------


def _tables(metadata: sa.MetaData, version: int) -> None:
    """The tables as they are at schema `version` (older versions are kept for upgrades and their tests)."""
    import sqlalchemy as sa

    sa.Table(
        "meta",
        metadata,
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    columns: list[sa.Column[Any]] = [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("case_ref", sa.Text, nullable=False),
        sa.Column("assessed_on", sa.String(10), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("stored_at", sa.String(40), nullable=False),
        sa.Column("assessor", sa.Text),
        sa.Column("supervisor", sa.Text),
        sa.Column("tool_id", sa.Text, nullable=False),
        sa.Column("tool_version", sa.Text, nullable=False),
        sa.Column("computed_band", sa.Text),
        sa.Column("computed_label", sa.Text),
        sa.Column("escalated_band", sa.Text),
        sa.Column("escalated_rank", sa.Integer),
        sa.Column("final_band", sa.Text),
        sa.Column("final_label", sa.Text),
        sa.Column("final_rank", sa.Integer),
        sa.Column("score", sa.Float),
        sa.Column("coverage", sa.Float),
        sa.Column("provisional", sa.Boolean, nullable=False),
        sa.Column("overridden", sa.Boolean, nullable=False),
        sa.Column("lowered_by_override", sa.Boolean, nullable=False),
        sa.Column("prompts", sa.Text, nullable=False),
        sa.Column("prompts_shown", sa.Text, nullable=False),
        sa.Column("top_severity", sa.Integer, nullable=False),
        sa.Column("review_weeks", sa.Integer),
        sa.Column("review_due", sa.String(10)),
        sa.Column("training", sa.Boolean, nullable=False),
        sa.Column("redacted", sa.Boolean, nullable=False),
    ]
    if version >= 2:
        columns.append(sa.Column("override_agreed_by", sa.Text))
    if version >= 4:
        columns += [
            sa.Column("escalated_label", sa.Text),
            sa.Column("record_format", sa.Text),
            sa.Column("plan_first_by", sa.String(10)),
            sa.Column("needs_not_achieved", sa.Integer),
            sa.Column("third_plan_needs", sa.Integer),
        ]
    if version >= 5:
        columns.append(sa.Column("plan_dates", sa.Text))
    if version < 2:
        columns.append(sa.Column("body", sa.Text, nullable=False))
    records = sa.Table("records", metadata, *columns, sa.Index("ix_records_assessed_on", "assessed_on"))
    # A child's records newest first, straight from the index: history and caseload never sort the table.
    c = records.c
    sa.Index("ix_records_latest", c.case_ref, c.assessed_on.desc(), c.created_at.desc(), c.id.desc())
    if version >= 2:
        sa.Table(
            "record_bodies",
            metadata,
            sa.Column("id", sa.Integer, sa.ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("body", sa.Text, nullable=False),
        )
        sa.Table(
            "supersessions",
            metadata,
            sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
            sa.Column(
                "supersedes_id",
                sa.Integer,
                sa.ForeignKey("records.id", ondelete="CASCADE"),
                nullable=False,
                unique=True,
            ),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("at", sa.String(40), nullable=False),
        )
    if version >= 3:
        _chronology_tables(metadata)
    if version >= 4:
        _signoff_table(metadata)


def _chronology_tables(metadata: sa.MetaData) -> None:
    """Schema 3: a child's chronology (entries only ever inserted; a correction is a new entry that names the
    one it supersedes) and the links between a family reference and its children's case refs."""
    import sqlalchemy as sa

    entries = sa.Table(
        "chronology",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_ref", sa.Text, nullable=False),
        sa.Column("occurred_on", sa.String(10), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("source_agency", sa.Text, nullable=False),
        sa.Column("event", sa.Text, nullable=False),
        sa.Column("impact", sa.Text, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("supersedes", sa.Integer, sa.ForeignKey("chronology.id", ondelete="CASCADE"), unique=True),
        sa.Column("reason", sa.Text),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    sa.Index("ix_chronology_case", entries.c.case_ref, entries.c.occurred_on)
    sa.Table(
        "family_links",
        metadata,
        sa.Column("family_ref", sa.Text, primary_key=True),
        sa.Column("case_ref", sa.Text, primary_key=True),
        sa.Column("linked_by", sa.Text),
        sa.Column("linked_at", sa.String(40), nullable=False),
    )


def _signoff_table(metadata: sa.MetaData) -> None:
    """Schema 4: supervisors' sign-offs, each a sealed addendum (`neglect-signoff/1`) of one stored record.
    Only ever inserted: a record signed off again keeps the earlier sign-off, and the newest is in force."""
    import sqlalchemy as sa

    signoffs = sa.Table(
        "signoffs",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),  # the addendum's own integrity hash
        sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
        sa.Column("case_ref", sa.Text, nullable=False),
        sa.Column("agrees", sa.Boolean, nullable=False),
        sa.Column("decision", sa.String(40), nullable=False),
        sa.Column("signed_on", sa.String(10), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("stored_at", sa.String(40), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    sa.Index("ix_signoffs_record", signoffs.c.record_id, signoffs.c.created_at)


def _upgrade_3_to_4(conn: sa.Connection) -> None:
    """Schema 4: the sign-offs table, and the plan's columns of each record filled in from its JSON."""
    import sqlalchemy as sa

    metadata = sa.MetaData()
    _tables(metadata, 4)
    metadata.tables["signoffs"].create(conn)
    conn.execute(sa.text("ALTER TABLE records ADD COLUMN escalated_label TEXT"))
    conn.execute(sa.text("ALTER TABLE records ADD COLUMN record_format TEXT"))
    conn.execute(sa.text("ALTER TABLE records ADD COLUMN plan_first_by VARCHAR(10)"))
    conn.execute(sa.text("ALTER TABLE records ADD COLUMN needs_not_achieved INTEGER"))
    conn.execute(sa.text("ALTER TABLE records ADD COLUMN third_plan_needs INTEGER"))
    records = metadata.tables["records"]
    bodies = metadata.tables["record_bodies"]
    tools = RowMaker(4)
    last = 0
    while True:
        rows = conn.execute(
            sa.select(bodies.c.id, bodies.c.body).where(bodies.c.id > last).order_by(bodies.c.id).limit(1000)
        ).all()
        if not rows:
            return
        for row_id, body in rows:
            record = json.loads(body)
            overall = (record.get("result") or {}).get("overall") or {}
            escalated = band_facts(tools.tool_of(record), overall.get("escalated_band"))
            planned = {k: v for k, v in plan_columns(record).items() if k in PLAN_COLUMNS}  # schema 4's only
            values = planned | {"escalated_label": escalated.label if escalated else None}
            conn.execute(records.update().where(records.c.id == row_id).values(**values))
        last = rows[-1][0]


def _upgrade_4_to_5(conn: sa.Connection) -> None:
    """Schema 5: each record's plan action dates, filled in from its JSON (only records with a plan have any)."""
    import sqlalchemy as sa

    metadata = sa.MetaData()
    _tables(metadata, 5)
    conn.execute(sa.text("ALTER TABLE records ADD COLUMN plan_dates TEXT"))
    records = metadata.tables["records"]
    bodies = metadata.tables["record_bodies"]
    last = 0
    while True:
        rows = conn.execute(
            sa.select(bodies.c.id, bodies.c.body)
            .join_from(bodies, records, records.c.id == bodies.c.id)
            .where(bodies.c.id > last, records.c.plan_first_by.is_not(None))
            .order_by(bodies.c.id)
            .limit(1000)
        ).all()
        if not rows:
            return
        for row_id, body in rows:
            dates = plan_columns(json.loads(body))["plan_dates"]
            conn.execute(records.update().where(records.c.id == row_id).values(plan_dates=dates))
        last = rows[-1][0]


def _upgrade_2_to_3(conn: sa.Connection) -> None:
    """Schema 3: new tables only (chronology, family links); nothing already stored changes."""
    import sqlalchemy as sa

    metadata = sa.MetaData()
    _tables(metadata, 3)
    metadata.tables["chronology"].create(conn)
    metadata.tables["family_links"].create(conn)


def _upgrade_1_to_2(conn: sa.Connection) -> None:
    """Schema 2: each record's JSON moves to `record_bodies`; supersessions; an override's sign-off."""
    import sqlalchemy as sa

    metadata = sa.MetaData()
    _tables(metadata, 2)
    metadata.tables["record_bodies"].create(conn)
    metadata.tables["supersessions"].create(conn)
    conn.execute(sa.text("INSERT INTO record_bodies (id, body) SELECT id, body FROM records"))
    conn.execute(sa.text("ALTER TABLE records DROP COLUMN body"))
    conn.execute(sa.text("ALTER TABLE records ADD COLUMN override_agreed_by TEXT"))
    rows = conn.execute(
        sa.text("SELECT r.id, b.body FROM records r JOIN record_bodies b ON b.id = r.id WHERE r.overridden")
    ).all()
    for row_id, body in rows:
        override = (json.loads(body).get("result") or {}).get("override") or {}
        if override.get("agreed_by"):
            conn.execute(
                sa.text("UPDATE records SET override_agreed_by = :by WHERE id = :id"),
                {"by": override["agreed_by"], "id": row_id},
            )


UPGRADES = {1: _upgrade_1_to_2, 2: _upgrade_2_to_3, 3: _upgrade_3_to_4, 4: _upgrade_4_to_5}


# --- the store ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stored:
    """One record as the store holds it."""

    id: int
    sha256: str
    body: str
    training: bool
    superseded_by: int | None = None
    supersedes: int | None = None
    reason: str | None = None

    def record(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass(frozen=True, slots=True)
class StoredSignoff:
    """One sign-off as the store holds it: its addendum's JSON and the record it signs off."""

    id: int
    sha256: str
    record_id: int
    record_sha256: str
    created_at: str
    body: str

    def addendum(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    id: int
    new: bool  # False: the very same record (same sha256) was already stored


def _now() -> str:
    from .clock import now

    return now().astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _reason(exc: BaseException) -> str:
    """What went wrong, without SQL or values: the driver's first line (it names no record data)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return text[:200]


class RecordStore:
    """A connection to one store. Opening creates it (SQLite) or upgrades it; a newer schema is refused."""

    def __init__(self, location: str | None = None, *, create: bool = True, upgrade_to: int = SCHEMA_VERSION) -> None:
        import sqlalchemy as sa

        self.location = store_location(location)
        self.shown = shown_location(self.location)
        self.kind = "postgresql" if is_postgres(self.location) else "sqlite"
        self.metadata = sa.MetaData()
        self.version = upgrade_to
        _tables(self.metadata, upgrade_to)
        self.records = self.metadata.tables["records"]
        self.rows = RowMaker(upgrade_to)
        try:
            self.engine = self._engine(create=create)
            self._prepare(upgrade_to)
        except StoreError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise self.error("could not be opened", exc) from None
        except OSError as exc:
            raise StoreError(f"record store {self.shown}: could not be opened ({exc.strerror})") from None

    def error(self, what: str, exc: BaseException) -> StoreError:
        return StoreError(f"record store {self.shown}: {what} ({_reason(exc)})")

    def _engine(self, *, create: bool) -> sa.Engine:
        import sqlalchemy as sa

        if self.kind == "postgresql":
            scheme, _, rest = self.location.partition("://")
            url = "postgresql+psycopg://" + rest
            return sa.create_engine(
                url, hide_parameters=True, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 10}
            )
        path = sqlite_path(self.location)
        if not path.exists():
            if not create:
                raise StoreError(f"record store {self.shown}: does not exist yet (nothing has been stored)")
            from .store import private_dir

            private_dir(path.parent, tighten=False)  # a folder the user named (even /tmp) keeps its mode
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
            os.fchmod(fd, 0o600)
            os.close(fd)
        engine = sa.create_engine(f"sqlite:///{path}", hide_parameters=True, poolclass=sa.pool.NullPool)

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi: Any, _record: Any) -> None:
            dbapi.isolation_level = None  # we say when transactions begin (below)
            cursor = dbapi.cursor()
            cursor.execute("PRAGMA busy_timeout = 60000")  # another writer holds the lock: wait, do not fail
            cursor.execute("PRAGMA foreign_keys = ON")
            with contextlib.suppress(Exception):  # a read-only file keeps its journal mode
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # Writers take the lock up front, so two writers queue rather than deadlock on upgrade.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

        return engine

    @contextlib.contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        """One write transaction: all of it is stored, or none of it."""
        import sqlalchemy as sa

        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(write=True)
                with conn.begin():
                    yield conn
        except sa.exc.SQLAlchemyError as exc:
            raise self.error("could not be written", exc) from None

    @contextlib.contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        import sqlalchemy as sa

        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except sa.exc.SQLAlchemyError as exc:
            raise self.error("could not be read", exc) from None

    def _prepare(self, target: int) -> None:
        meta = self.metadata.tables["meta"]
        with self.engine.connect() as conn:
            found = self._schema_version(conn)
        if found == target:
            return
        if found is not None and found > target:
            raise StoreError(
                f"record store {self.shown}: made by a newer neglect-cli (store schema {found}; this version "
                f"knows up to {target}). Upgrade neglect-cli to use it; nothing was changed."
            )
        with self.engine.connect() as conn:
            conn = conn.execution_options(write=True)
            with conn.begin():
                if self.kind == "postgresql":
                    # One process at a time creates or upgrades the schema (SQLite: BEGIN IMMEDIATE does it).
                    import sqlalchemy as sa

                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
                found = self._schema_version(conn)  # another process may have created or upgraded it meanwhile
                if found is None:
                    self.metadata.create_all(conn)
                    conn.execute(meta.insert().values(key="schema_version", value=str(target)))
                    return
                if found >= target:
                    return
                self.backup_before_upgrade(conn, found)
                for step in range(found, target):
                    UPGRADES[step](conn)
                conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(target)))
        from .output import info

        info(f"record store {self.shown}: upgraded from schema {found} to {target}")

    def _schema_version(self, conn: sa.Connection) -> int | None:
        import sqlalchemy as sa

        if not sa.inspect(conn).has_table("meta"):
            return None
        value = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
        return int(value) if value is not None else None

    def backup_before_upgrade(self, conn: sa.Connection, found: int) -> str:
        """A copy of the store as it was, before an upgrade changes it: a file beside a SQLite store
        (0600), tables named `*_schema<N>_backup` in a PostgreSQL one."""
        import sqlalchemy as sa

        if self.kind == "sqlite":
            path = sqlite_path(self.location)
            stamp = _now().replace(":", "").replace("-", "")
            backup = path.with_name(f"{path.name}.schema{found}-backup-{stamp}")
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            import sqlite3

            source = sqlite3.connect(path)
            target = sqlite3.connect(backup)
            try:
                # the writer's lock is ours: the copy sees the store as committed before this upgrade
                source.backup(target)
            finally:
                target.close()
                source.close()
            os.chmod(backup, 0o600)
            from .output import info

            info(f"record store {self.shown}: a copy of schema {found} is kept in {backup}")
            return str(backup)
        names = sa.inspect(conn).get_table_names()
        for table in ("meta", "records"):
            if table in names:
                conn.execute(sa.text(f"CREATE TABLE {table}_schema{found}_backup AS TABLE {table}"))
        return f"tables meta_schema{found}_backup, records_schema{found}_backup"

    # --- writing ------------------------------------------------------------------------

    def save(
        self, record: Mapping[str, Any], *, training: bool | None = None, tool: Tool | None = None
    ) -> SaveOutcome:
        """Store one sealed record (its integrity is the caller's to have checked). The same record
        stored twice is one row. `tool`: the tool it was just made with, when the caller has it."""
        return self.save_rows([self.rows.row(record, training=training, tool=tool)])[0]

    def save_many(self, records: Sequence[Mapping[str, Any]], *, training: bool | None = None) -> list[SaveOutcome]:
        """Store records in one transaction, skipping any already stored (by sha256)."""
        return self.save_rows([self.row(record, training=training) for record in records])

    def save_rows(self, rows: list[dict[str, Any]]) -> list[SaveOutcome]:
        """Store rows made by `row` in one transaction, skipping any already stored (by sha256)."""
        outcomes: list[SaveOutcome] = []
        table = self.records
        with self.writing() as conn:
            known = self._ids(conn, [row["sha256"] for row in rows])
            fresh = []
            for row in rows:
                if row["sha256"] not in known:
                    known[row["sha256"]] = -1
                    fresh.append(row)
            new_ids: dict[str, int] = {}
            if fresh:
                bodies = {row["sha256"]: row.pop("body") for row in fresh} if self.version >= 2 else {}
                conn.execute(table.insert(), fresh)
                new_ids = self._ids(conn, [r["sha256"] for r in fresh])
                if bodies:
                    conn.execute(
                        self.metadata.tables["record_bodies"].insert(),
                        [{"id": new_ids[sha], "body": body} for sha, body in bodies.items()],
                    )
            seen_new: set[str] = set()
            for row in rows:
                sha = row["sha256"]
                if sha in new_ids and sha not in seen_new:
                    seen_new.add(sha)
                    outcomes.append(SaveOutcome(id=new_ids[sha], new=True))
                else:
                    outcomes.append(SaveOutcome(id=new_ids.get(sha) or known[sha], new=False))
        return outcomes

    def _ids(self, conn: sa.Connection, shas: list[str]) -> dict[str, int]:
        import sqlalchemy as sa

        table = self.records
        out: dict[str, int] = {}
        for chunk in range(0, len(shas), 500):
            part = shas[chunk : chunk + 500]
            out.update(conn.execute(sa.select(table.c.sha256, table.c.id).where(table.c.sha256.in_(part))).all())
        return out

    def row(self, record: Mapping[str, Any], *, training: bool | None = None) -> dict[str, Any]:
        """The row for a sealed record: its indexed columns, sha256 and JSON text."""
        return self.rows.row(record, training=training)

    def stored_ids(self, shas: Sequence[str]) -> dict[str, int]:
        """Which of these records (by their sha256) the store holds: sha256 -> the record's id."""
        with self.reading() as conn:
            return self._ids(conn, list(dict.fromkeys(shas)))

    def supersede(self, old_id: int, new_id: int, reason: str) -> None:
        """Record that `new_id` corrects `old_id`. Both stay; history shows both; a record is superseded once."""
        import sqlalchemy as sa

        if not reason.strip():
            raise UserError("a correction needs a reason (--reason)")
        table = self.metadata.tables["supersessions"]
        with self.writing() as conn:
            found = dict(
                conn.execute(
                    sa.select(self.records.c.id, self.records.c.case_ref).where(self.records.c.id.in_([old_id, new_id]))
                ).all()
            )
            for wanted in (old_id, new_id):
                if wanted not in found:
                    raise UserError(f"no record #{wanted} in the store")
            if old_id == new_id:
                raise UserError("a record cannot supersede itself")
            if found[old_id] != found[new_id]:
                raise UserError(f"record #{old_id} and #{new_id} are of different cases")
            taken = conn.execute(sa.select(table.c.record_id).where(table.c.supersedes_id == old_id)).scalar()
            if taken is not None:
                raise UserError(f"record #{old_id} is already superseded by #{taken}")
            if conn.execute(sa.select(table.c.record_id).where(table.c.record_id == new_id)).scalar() is not None:
                raise UserError(f"record #{new_id} already supersedes another record")
            conn.execute(table.insert().values(record_id=new_id, supersedes_id=old_id, reason=reason, at=_now()))

    def purge(self, before: dt.date) -> tuple[int, int, int]:
        """Delete every record assessed before `before`, and every chronology entry dated before it.
        Returns (records, children, chronology entries) removed."""
        import sqlalchemy as sa

        table = self.records
        cutoff = before.isoformat()
        with self.writing() as conn:
            records, children = conn.execute(
                sa.select(sa.func.count(), sa.func.count(sa.distinct(table.c.case_ref))).where(
                    table.c.assessed_on < cutoff
                )
            ).one()
            sup = self.metadata.tables["supersessions"]
            old = sa.select(table.c.id).where(table.c.assessed_on < cutoff)
            conn.execute(sup.delete().where(sa.or_(sup.c.record_id.in_(old), sup.c.supersedes_id.in_(old))))
            bodies = self.metadata.tables["record_bodies"]
            conn.execute(bodies.delete().where(bodies.c.id.in_(old)))
            if self.version >= 4:
                signoffs = self.metadata.tables["signoffs"]
                conn.execute(signoffs.delete().where(signoffs.c.record_id.in_(old)))
            conn.execute(table.delete().where(table.c.assessed_on < cutoff))
            entries = self._purge_chronology(conn, cutoff)
        return int(records), int(children), entries

    def _purge_chronology(self, conn: sa.Connection, cutoff: str) -> int:
        """Chronology entries dated before `cutoff`; a later correction of one stands on its own."""
        import sqlalchemy as sa

        chron = self.metadata.tables["chronology"]
        old_ids = [r for r in conn.execute(sa.select(chron.c.id).where(chron.c.occurred_on < cutoff)).scalars()]
        for chunk in range(0, len(old_ids), 500):
            part = old_ids[chunk : chunk + 500]
            conn.execute(chron.update().where(chron.c.supersedes.in_(part)).values(supersedes=None))
        for chunk in range(0, len(old_ids), 500):
            conn.execute(chron.delete().where(chron.c.id.in_(old_ids[chunk : chunk + 500])))
        return len(old_ids)

    def count_before(self, before: dt.date) -> tuple[int, int, int]:
        """What `purge` would remove: (records, children, chronology entries)."""
        import sqlalchemy as sa

        table = self.records
        chron = self.metadata.tables["chronology"]
        with self.reading() as conn:
            records, children = conn.execute(
                sa.select(sa.func.count(), sa.func.count(sa.distinct(table.c.case_ref))).where(
                    table.c.assessed_on < before.isoformat()
                )
            ).one()
            entries = conn.execute(
                sa.select(sa.func.count()).select_from(chron).where(chron.c.occurred_on < before.isoformat())
            ).scalar_one()
        return int(records), int(children), int(entries)

    # --- reading ------------------------------------------------------------------------

    def case_records(self, case_ref: str, *, training: bool = False) -> list[Stored]:
        """Every record of one child, oldest first, with what supersedes what."""
        import sqlalchemy as sa

        check_case_ref(case_ref)
        table = self.records
        sup = self.metadata.tables["supersessions"]
        query = self._with_body().where(table.c.case_ref == case_ref)
        if not training:
            query = query.where(sa.not_(table.c.training))
        query = query.order_by(table.c.assessed_on, table.c.created_at, table.c.id)
        with self.reading() as conn:
            rows = conn.execute(query).all()
            ids = [r.id for r in rows]
            links = (
                conn.execute(
                    sa.select(sup.c.record_id, sup.c.supersedes_id, sup.c.reason).where(sup.c.record_id.in_(ids))
                ).all()
                if ids
                else []
            )
        by_new = {link.record_id: link for link in links}
        by_old = {link.supersedes_id: link for link in links}
        return [
            Stored(
                id=r.id,
                sha256=r.sha256,
                body=r.body,
                training=bool(r.training),
                superseded_by=by_old[r.id].record_id if r.id in by_old else None,
                supersedes=by_new[r.id].supersedes_id if r.id in by_new else None,
                reason=by_new[r.id].reason if r.id in by_new else None,
            )
            for r in rows
        ]

    def history_rows(self, case_ref: str, *, training: bool = False) -> list[dict[str, Any]]:
        """The listed columns of every record of one child (see `historyview`), newest first."""
        import sqlalchemy as sa

        from .historyview import HISTORY_COLUMNS

        check_case_ref(case_ref)
        table = self.records
        sup = self.metadata.tables["supersessions"]
        newer = sup.alias("newer")
        query = (
            sa.select(
                *[table.c[name] for name in HISTORY_COLUMNS if name not in ("superseded_by", "supersedes", "reason")],
                newer.c.record_id.label("superseded_by"),
                sup.c.supersedes_id.label("supersedes"),
                sup.c.reason.label("reason"),
            )
            .select_from(
                table.outerjoin(newer, newer.c.supersedes_id == table.c.id).outerjoin(
                    sup, sup.c.record_id == table.c.id
                )
            )
            .where(table.c.case_ref == case_ref)
        )
        if not training:
            query = query.where(sa.not_(table.c.training))
        query = query.order_by(table.c.assessed_on.desc(), table.c.created_at.desc(), table.c.id.desc())
        with self.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def _with_body(self) -> sa.Select[Any]:
        """id, sha256, body and training of records (the JSON joined from its own table)."""
        import sqlalchemy as sa

        table = self.records
        if self.version < 2:
            return sa.select(table.c.id, table.c.sha256, table.c.body, table.c.training)
        bodies = self.metadata.tables["record_bodies"]
        return sa.select(table.c.id, table.c.sha256, bodies.c.body, table.c.training).join_from(
            table, bodies, bodies.c.id == table.c.id
        )

    def iter_all(self, *, case_ref: str | None = None, batch: int = 1000) -> Iterator[Stored]:
        """Every record (of one case, when given) in id order, read in batches."""

        table = self.records
        last = 0
        while True:
            query = self._with_body().where(table.c.id > last)
            if case_ref is not None:
                query = query.where(table.c.case_ref == case_ref)
            with self.reading() as conn:
                rows = conn.execute(query.order_by(table.c.id).limit(batch)).all()
            if not rows:
                return
            for r in rows:
                yield Stored(id=r.id, sha256=r.sha256, body=r.body, training=bool(r.training))
            last = rows[-1].id

    def caseload_rows(self, as_of: dt.date, *, training: bool = False) -> list[Mapping[str, Any]]:
        """For each child, the newest record on or before `as_of` still in force (not superseded) and the
        one before it (`position` 1 and 2)."""
        import sqlalchemy as sa

        from .caseload import CASELOAD_COLUMNS

        table = self.records
        sup = self.metadata.tables["supersessions"]
        # Narrow first (ids and positions, in the index's order, no sort), then the columns of those rows only.
        position = (
            sa.func.row_number()
            .over(
                partition_by=table.c.case_ref,
                order_by=(table.c.assessed_on.desc(), table.c.created_at.desc(), table.c.id.desc()),
            )
            .label("position")
        )
        ranked = sa.select(table.c.id, position).where(
            table.c.assessed_on <= as_of.isoformat(), sa.not_(sa.exists().where(sup.c.supersedes_id == table.c.id))
        )
        if not training:
            ranked = ranked.where(sa.not_(table.c.training))
        picked = ranked.subquery()
        query = (
            sa.select(*[table.c[name] for name in CASELOAD_COLUMNS], picked.c.position)
            .join_from(picked, table, table.c.id == picked.c.id)
            .where(picked.c.position <= 2)
        )
        with self.reading() as conn:
            return cast("list[Mapping[str, Any]]", conn.execute(query).mappings().all())

    def counts(self) -> tuple[int, int]:
        import sqlalchemy as sa

        table = self.records
        with self.reading() as conn:
            records, children = conn.execute(
                sa.select(sa.func.count(), sa.func.count(sa.distinct(table.c.case_ref)))
            ).one()
        return int(records), int(children)

    # --- chronology and family links (schema 3) ---------------------------------------

    def add_entries(self, case_ref: str, entries: Sequence[NewEntry]) -> tuple[list[int], int]:
        """Add chronology entries to a child's chronology in one transaction: all of them or none. An entry
        whose content is already there (same date, category, agency and text) is skipped. Returns the new
        ids and how many were skipped."""
        import sqlalchemy as sa

        check_case_ref(case_ref)
        table = self.metadata.tables["chronology"]
        at = _now()
        added: list[int] = []
        skipped = 0
        with self.writing() as conn:
            shas = [entry.content_sha256(case_ref) for entry in entries]
            known: set[str] = set()
            for chunk in range(0, len(shas), 500):
                part = shas[chunk : chunk + 500]
                known.update(
                    conn.execute(
                        sa.select(table.c.sha256).where(table.c.case_ref == case_ref, table.c.sha256.in_(part))
                    ).scalars()
                )
            for entry, sha in zip(entries, shas, strict=True):
                if entry.supersedes is not None:
                    self._check_supersedes(conn, case_ref, entry.supersedes)
                elif sha in known:
                    skipped += 1
                    continue
                known.add(sha)
                values = {
                    "case_ref": case_ref,
                    "occurred_on": entry.occurred_on.isoformat(),
                    "category": entry.category,
                    "source_agency": entry.source_agency,
                    "event": entry.event,
                    "impact": entry.impact,
                    "added_by": entry.added_by,
                    "added_at": at,
                    "supersedes": entry.supersedes,
                    "reason": entry.reason,
                    "sha256": sha,
                }
                added.append(int(conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one()))
        return added, skipped

    def _check_supersedes(self, conn: sa.Connection, case_ref: str, old_id: int) -> None:
        import sqlalchemy as sa

        table = self.metadata.tables["chronology"]
        found = conn.execute(sa.select(table.c.case_ref).where(table.c.id == old_id)).scalar()
        if found is None:
            raise UserError(f"no chronology entry #{old_id} in the store")
        if found != case_ref:
            raise UserError(f"chronology entry #{old_id} is of another case")
        taken = conn.execute(sa.select(table.c.id).where(table.c.supersedes == old_id)).scalar()
        if taken is not None:
            raise UserError(f"chronology entry #{old_id} is already superseded by #{taken}; correct #{taken} instead")

    def chronology(self, case_ref: str) -> list[Entry]:
        """Every entry of one child's chronology (superseded ones too, marked), oldest first."""
        import sqlalchemy as sa

        from .chronology import from_row

        check_case_ref(case_ref)
        table = self.metadata.tables["chronology"]
        query = (
            sa.select(table)
            .where(table.c.case_ref == case_ref)
            .order_by(table.c.occurred_on, table.c.added_at, table.c.id)
        )
        with self.reading() as conn:
            rows = conn.execute(query).mappings().all()
        by_old = {row["supersedes"]: row["id"] for row in rows if row["supersedes"] is not None}
        return [from_row(dict(row), by_old.get(row["id"])) for row in rows]

    def chronology_rows(self, case_ref: str | None = None) -> list[dict[str, Any]]:
        """Every stored chronology entry as its columns (of one child, or of every child), by case then id:
        what `store export` writes and `store check` checks."""
        import sqlalchemy as sa

        table = self.metadata.tables["chronology"]
        query = sa.select(table).order_by(table.c.case_ref, table.c.id)
        if case_ref is not None:
            query = query.where(table.c.case_ref == check_case_ref(case_ref))
        with self.reading() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def restore_entries(self, case_ref: str, entries: Sequence[ExportedEntry]) -> tuple[int, int]:
        """Entries exported from a store (`chronology.read_export`), added as they were (who added them and
        when, corrections linked to what they correct) in one transaction. An entry already here (same
        content, correcting the same entry) is not added again. Returns (added, already here)."""
        import sqlalchemy as sa

        check_case_ref(case_ref)
        table = self.metadata.tables["chronology"]
        ids: dict[int, int] = {}  # id in the file -> id here
        added = skipped = 0
        with self.writing() as conn:
            for entry in sorted(entries, key=lambda e: e.id):
                supersedes = ids[entry.supersedes] if entry.supersedes is not None else None
                same = conn.execute(
                    sa.select(table.c.id).where(
                        table.c.case_ref == case_ref,
                        table.c.sha256 == entry.sha256,
                        table.c.supersedes.is_(None) if supersedes is None else table.c.supersedes == supersedes,
                    )
                ).scalar()
                if same is not None:
                    ids[entry.id] = int(same)
                    skipped += 1
                    continue
                if supersedes is not None:
                    self._check_supersedes(conn, case_ref, supersedes)
                values = entry.model_dump(exclude={"id"}) | {"case_ref": case_ref, "supersedes": supersedes}
                ids[entry.id] = int(conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one())
                added += 1
        return added, skipped

    def link_family(self, family_ref: str, case_refs: Sequence[str], *, by: str | None) -> int:
        """Link children to a family reference; returns how many links are new (a link made twice is one)."""
        import sqlalchemy as sa

        check_family_ref(family_ref)
        table = self.metadata.tables["family_links"]
        at = _now()
        with self.writing() as conn:
            linked = set(conn.execute(sa.select(table.c.case_ref).where(table.c.family_ref == family_ref)).scalars())
            fresh = [ref for ref in dict.fromkeys(check_case_ref(r) for r in case_refs) if ref not in linked]
            if fresh:
                conn.execute(
                    table.insert(),
                    [{"family_ref": family_ref, "case_ref": ref, "linked_by": by, "linked_at": at} for ref in fresh],
                )
        return len(fresh)

    def unlink_family(self, family_ref: str, case_refs: Sequence[str]) -> int:
        """Remove children from a family; returns how many links there were to remove."""

        check_family_ref(family_ref)
        table = self.metadata.tables["family_links"]
        with self.writing() as conn:
            done = conn.execute(
                table.delete().where(table.c.family_ref == family_ref, table.c.case_ref.in_(list(case_refs)))
            )
        return int(done.rowcount or 0)

    def family(self, family_ref: str) -> list[str]:
        """The case refs linked to a family reference, in the order they were linked."""
        import sqlalchemy as sa

        check_family_ref(family_ref)
        table = self.metadata.tables["family_links"]
        with self.reading() as conn:
            rows = conn.execute(
                sa.select(table.c.case_ref)
                .where(table.c.family_ref == family_ref)
                .order_by(table.c.linked_at, table.c.case_ref)
            ).scalars()
            return list(rows)

    def family_rows(self, case_ref: str | None = None) -> list[dict[str, Any]]:
        """Every family link (or a child's links, when given) with who linked it and when, by family, in the
        order linked: what `store export` writes and `store check` checks."""
        import sqlalchemy as sa

        table = self.metadata.tables["family_links"]
        query = sa.select(table.c.family_ref, table.c.case_ref, table.c.linked_by, table.c.linked_at)
        if case_ref is not None:
            query = query.where(table.c.case_ref == case_ref)
        with self.reading() as conn:
            rows = conn.execute(query.order_by(table.c.family_ref, table.c.linked_at, table.c.case_ref)).mappings()
            return [dict(row) for row in rows]

    def restore_family(self, family_ref: str, links: Sequence[FamilyLink]) -> tuple[int, int]:
        """A family's exported links back into the store as they were (who linked each child and when), all in
        one transaction; a child already linked to the family keeps its link. Returns (added, already there)."""
        import sqlalchemy as sa

        check_family_ref(family_ref)
        table = self.metadata.tables["family_links"]
        with self.writing() as conn:
            linked = set(conn.execute(sa.select(table.c.case_ref).where(table.c.family_ref == family_ref)).scalars())
            fresh = [link for link in links if check_case_ref(link.case_ref) not in linked]
            if fresh:
                rows = [{"family_ref": family_ref} | link.model_dump() for link in fresh]
                conn.execute(table.insert(), rows)
        return len(fresh), len(links) - len(fresh)

    # --- sign-offs (schema 4) ------------------------------------------------------------

    def save_signoff(self, addendum: Mapping[str, Any]) -> SaveOutcome:
        """Store a sealed sign-off beside the stored record it names (by the record's sha256); the very
        same sign-off stored twice is one row. A record not in the store is a StoreError."""
        import sqlalchemy as sa

        table = self.metadata.tables["signoffs"]
        record_sha = str(addendum["record"]["sha256"])
        signed = addendum["signoff"]
        with self.writing() as conn:
            found = conn.execute(
                sa.select(self.records.c.id, self.records.c.case_ref).where(self.records.c.sha256 == record_sha)
            ).first()
            if found is None:
                raise StoreError(
                    f"record store {self.shown}: the record this sign-off names is not in the store "
                    "(import the record first: neglect store import RECORD.json)"
                )
            sha = str(addendum["integrity"]["sha256"])
            known = conn.execute(sa.select(table.c.id).where(table.c.sha256 == sha)).scalar()
            if known is not None:
                return SaveOutcome(id=int(known), new=False)
            conn.execute(
                table.insert().values(
                    sha256=sha,
                    record_id=found.id,
                    case_ref=found.case_ref,
                    agrees=bool(signed["agrees"]),
                    decision=str(signed["decision"]),
                    signed_on=str(signed["signed_on"]),
                    created_at=str(addendum["created_at"]),
                    stored_at=_now(),
                    body=json.dumps(addendum, ensure_ascii=False),
                )
            )
            new_id = conn.execute(sa.select(table.c.id).where(table.c.sha256 == sha)).scalar_one()
        return SaveOutcome(id=int(new_id), new=True)

    def signoffs(self, *, case_ref: str | None = None, record_ids: Sequence[int] | None = None) -> list[StoredSignoff]:
        """Sign-offs (of one case, or of these records, when given), oldest first: a record's last is in force."""
        import sqlalchemy as sa

        table = self.metadata.tables["signoffs"]
        columns = (table.c.id, table.c.sha256, table.c.record_id, self.records.c.sha256.label("record_sha256"))
        query = sa.select(*columns, table.c.created_at, table.c.body).join_from(
            table, self.records, self.records.c.id == table.c.record_id
        )
        if case_ref is not None:
            query = query.where(table.c.case_ref == case_ref)
        out: list[StoredSignoff] = []
        with self.reading() as conn:
            chunks = [None] if record_ids is None else [record_ids[i : i + 500] for i in range(0, len(record_ids), 500)]
            for chunk in chunks:
                part = query if chunk is None else query.where(table.c.record_id.in_(chunk))
                rows = conn.execute(part).all()
                out.extend(
                    StoredSignoff(r.id, r.sha256, r.record_id, r.record_sha256, r.created_at, r.body) for r in rows
                )
        out.sort(key=lambda s: (s.created_at, s.id))
        return out

    def signed_record_ids(self, ids: Sequence[int]) -> set[int]:
        """Which of these records a supervisor has signed off (at least one sign-off stored)."""
        import sqlalchemy as sa

        table = self.metadata.tables["signoffs"]
        out: set[int] = set()
        with self.reading() as conn:
            for chunk in range(0, len(ids), 500):
                part = list(ids[chunk : chunk + 500])
                out.update(conn.execute(sa.select(table.c.record_id).where(table.c.record_id.in_(part))).scalars())
        return out

    def latest_record(self, case_ref: str, *, training: bool = False) -> Stored | None:
        """A child's newest record still in force, or None."""
        in_force = [s for s in self.case_records(case_ref, training=training) if s.superseded_by is None]
        return in_force[-1] if in_force else None

    def close(self) -> None:
        self.engine.dispose()


def store_exists(location: str | None = None) -> bool:
    """Whether there is a store to open without making one (a PostgreSQL URL is taken to be one)."""
    where = store_location(location)
    return is_postgres(where) or sqlite_path(where).exists()


def signed_in_store(shas: Sequence[str], location: str | None = None) -> set[str]:
    """Which of these records (by sha256) the store holds with a sign-off whose seal is whole. No store: none."""
    from .signoff import seal_problems

    if not store_exists(location):
        return set()
    opened = open_store(location, create=False)
    try:
        ids = opened.stored_ids(shas)
        found = opened.signoffs(record_ids=list(ids.values())) if ids else []
    finally:
        opened.close()
    return {s.record_sha256 for s in found if not seal_problems(s.addendum())}


def open_store(location: str | None = None, *, create: bool = True) -> RecordStore:
    """Open the store named by `--store`/`NEGLECT_STORE` (or the default), creating it when asked."""
    return RecordStore(location, create=create)


def import_hint(paths: Iterable[Path | str]) -> str:
    """The command that imports these record files, as it runs here."""
    from .output import command_line

    return command_line("store", "import", *(str(p) for p in paths))
