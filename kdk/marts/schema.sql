-- The mart contract. Pages, exports, the municipalities' BI tools and outside checks read these
-- tables: names and meanings are fixed; columns and tables may be added.

CREATE TABLE release (
    release_id   VARCHAR PRIMARY KEY,
    udtraeksdato DATE NOT NULL,
    embargo_til  TIMESTAMP,
    beskrivelse  VARCHAR NOT NULL,
    kilde_fil    VARCHAR,
    loebenummer  INTEGER NOT NULL   -- 1 for the build, then +1 per load: the newest release has the highest
);

CREATE TABLE dim_region (
    regionskode VARCHAR PRIMARY KEY,
    navn        VARCHAR NOT NULL
);

CREATE TABLE dim_kommune (
    kommunekode   VARCHAR PRIMARY KEY,
    navn          VARCHAR NOT NULL,
    regionskode   VARCHAR NOT NULL,
    regionsnavn   VARCHAR NOT NULL,
    kommunegruppe VARCHAR NOT NULL,
    areal_km2     DOUBLE
);

CREATE TABLE dim_dataomraade (
    kode         VARCHAR PRIMARY KEY,
    navn         VARCHAR NOT NULL,
    beskrivelse  VARCHAR NOT NULL,
    raekkefoelge INTEGER NOT NULL
);

CREATE TABLE dim_noegletal (
    noegletal_id VARCHAR PRIMARY KEY,
    titel        VARCHAR NOT NULL,
    definition   VARCHAR NOT NULL,
    enhed        VARCHAR NOT NULL,
    dataomraade  VARCHAR NOT NULL,
    retning      VARCHAR NOT NULL CHECK (retning IN ('op', 'ned', 'neutral')),
    decimaler    INTEGER NOT NULL,
    periodicitet VARCHAR NOT NULL CHECK (periodicitet IN ('aar', 'kvartal', 'maaned', 'femaar')),
    kilde        VARCHAR NOT NULL,
    demodata     BOOLEAN NOT NULL,
    adgang       VARCHAR NOT NULL CHECK (adgang IN ('offentlig', 'begraenset')),
    raekkefoelge INTEGER NOT NULL UNIQUE,   -- catalogue order; also the facts' noegletal_nr
    taeller      VARCHAR,
    naevner      VARCHAR,
    aggregering  VARCHAR NOT NULL CHECK (aggregering IN ('sum', 'kvote', 'vaegtet', 'ingen')),
    faktor       DOUBLE NOT NULL,
    min          DOUBLE,
    max          DOUBLE,
    max_spring   DOUBLE,
    diskretion   BOOLEAN NOT NULL,
    taeller_er   VARCHAR,                  -- "<felt>:<id>": the numerator is that figure's count (catalogue)
    naevner_er   VARCHAR,                  -- the same for the denominator
    niveau_sammenlignes BOOLEAN NOT NULL,  -- a level comparable with region and country (not a count or total)
    uden_vaerdi  VARCHAR NOT NULL,         -- why the source gives some municipalities no value ('' = the usual text)
    forbehold    VARCHAR NOT NULL,         -- the source's caveat, shown with the number ('' = none)
    kilde_id     VARCHAR NOT NULL,         -- the figure's source: kilde.id ('demo' for generated demo data)
    rigtige_data VARCHAR NOT NULL,         -- a demo figure's future real source, as shown ('' for a real figure)
    kildeangivelse VARCHAR NOT NULL        -- the attribution of the source (kilde.attribution), shown with the figure
);

-- One current row (erstattet_af IS NULL) per (noegletal_id, omraade_kode, periode): the store checks that the key
-- is unique before a file goes live (kdk/marts/store.py), instead of a primary-key index, which at Kolada's size (29 M rows) would be 20 times
-- the data. Rows are written sorted by `noegletal_nr`, the figure's number in the catalogue, and queries join on
-- it: its min-max zonemaps let DuckDB read only the figures a query asks for (a string zonemap keeps only a
-- prefix, which ids such as 'beskaeftigelse.…' share).
CREATE TABLE fct_noegletal (
    noegletal_id VARCHAR NOT NULL,
    omraade_kode VARCHAR NOT NULL,
    periode      VARCHAR NOT NULL,
    vaerdi       DOUBLE,
    taeller      DOUBLE,
    naevner      DOUBLE,
    status       VARCHAR NOT NULL CHECK (status IN ('normal', 'foreloebig', 'estimat', 'diskretioneret', 'mangler')),
    release_id   VARCHAR NOT NULL,
    noegletal_nr INTEGER NOT NULL,   -- dim_noegletal.raekkefoelge of the key figure
    erstattet_af VARCHAR,            -- the release that replaced this row (NULL: current); until that release is
                                     -- visible to a viewer, this row is what the viewer sees (kdk.queries.scope)
    CHECK (status <> 'diskretioneret' OR (vaerdi IS NULL AND taeller IS NULL AND naevner IS NULL))
);

CREATE TABLE kilde (
    id           VARCHAR PRIMARY KEY,
    navn         VARCHAR NOT NULL,
    filer        VARCHAR NOT NULL,
    attribution  VARCHAR NOT NULL,
    licens       VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,   -- the source's own site ('' = none given)
    udtraeksdato DATE NOT NULL
);

CREATE TABLE validering (
    release_id VARCHAR NOT NULL,
    fil        VARCHAR NOT NULL,
    linje      INTEGER,
    kolonne    VARCHAR,
    regel      VARCHAR NOT NULL,
    niveau     VARCHAR NOT NULL,
    besked     VARCHAR NOT NULL,
    noegletal_id VARCHAR          -- the key figure the finding is about; NULL when about none
);

-- The disclosure audit per release and key figure (kdk/marts/disclosure.py Audit.rows), over the release's current
-- rows: one row for every key figure of the catalogue. /datastatus sums the rows of the figures a viewer may see.
CREATE TABLE diskretion (
    release_id   VARCHAR NOT NULL,
    noegletal_id VARCHAR NOT NULL,
    skjulte      INTEGER NOT NULL,   -- suppressed cells
    sekundaere   INTEGER NOT NULL,   -- of these, hidden by secondary suppression in this release's run
    antal        INTEGER NOT NULL,   -- hidden counts audited (a ratio's numerator, and its denominator under 5)
    smalleste    DOUBLE              -- the narrowest audited interval's width; 'inf' where no hidden count is bounded
                                     -- above by what is published; NULL where none is audited
);

-- Municipality boundaries for the app's map: DAGI 1:500 000, simplified (about 400 m) for the screen.
CREATE TABLE geo_kommune (
    kommunekode VARCHAR PRIMARY KEY,
    geometri    VARCHAR NOT NULL  -- GeoJSON geometry, WGS84 lon/lat
);

-- Comparison groups (sammenligningsgrupper), computed at build time by kdk.similarity. `release_id` is the release
-- whose facts they were computed from: a viewer reads those of the newest release it may see (kdk.queries.scope).
CREATE TABLE bm_definition (
    sammenligningsomraade VARCHAR NOT NULL,  -- tvaergaaende, skole, dagtilbud, ubu, aeldre, handicap, sundhed
    navn                  VARCHAR NOT NULL,
    beskrivelse           VARCHAR NOT NULL,
    navn_en               VARCHAR,           -- the English name and description (pages at /en); NULL: not translated
    beskrivelse_en        VARCHAR,
    raekkefoelge          INTEGER NOT NULL,
    rolle                 VARCHAR NOT NULL CHECK (rolle IN ('udfald', 'kandidat')),
    noegletal_id          VARCHAR NOT NULL,
    transformation        VARCHAR NOT NULL   -- '' or 'log'
);

CREATE TABLE bm_sammenligning (
    release_id            VARCHAR NOT NULL,
    sammenligningsomraade VARCHAR NOT NULL,
    aar                   INTEGER NOT NULL,
    kommunekode           VARCHAR NOT NULL,
    sammenligningskode    VARCHAR NOT NULL,
    afstand               DOUBLE NOT NULL,
    rang                  INTEGER NOT NULL  -- 1 = most comparable; 1..97 (unique per area, year, municipality)
);

CREATE TABLE bm_model (
    release_id            VARCHAR NOT NULL,
    sammenligningsomraade VARCHAR NOT NULL,
    aar                   INTEGER NOT NULL,
    variabel              VARCHAR NOT NULL,  -- a noegletal_id (see bm_definition for its transformation)
    koefficient           DOUBLE,            -- standardised coefficient in the model with all candidates
    p_vaerdi              DOUBLE,
    vaegt                 DOUBLE NOT NULL,   -- weight in the distance; 0 when not kept
    r2                    DOUBLE NOT NULL,   -- R² of the final model (kept variables)
    beholdt               BOOLEAN NOT NULL,
    koefficient_endelig   DOUBLE,
    r2_fuld               DOUBLE NOT NULL,
    n                     INTEGER NOT NULL,
    ingen_signifikante    BOOLEAN NOT NULL,
    kilde_aar             INTEGER NOT NULL   -- the year of the variable's data that was used
);

CREATE TABLE bm_variabel (
    release_id            VARCHAR NOT NULL,
    sammenligningsomraade VARCHAR NOT NULL,
    aar                   INTEGER NOT NULL,
    kommunekode           VARCHAR NOT NULL,
    variabel              VARCHAR NOT NULL,
    vaerdi                DOUBLE,
    z                     DOUBLE NOT NULL,
    imputeret             BOOLEAN NOT NULL,  -- the national mean stood in for a missing value
    kilde_aar             INTEGER NOT NULL
);

-- Themes (temaer) from data/temaer/*.toml, validated at build time; `definition` is the theme as JSON.
CREATE TABLE tema (
    slug        VARCHAR PRIMARY KEY,
    titel       VARCHAR NOT NULL,
    fil         VARCHAR NOT NULL,
    raekkefoelge INTEGER NOT NULL,
    definition  VARCHAR NOT NULL
);
