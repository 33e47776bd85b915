-- eventcoder store schema. Bump SCHEMA_VERSION in duckdb_store.py with any change.
-- Events are flattened (one row per event, arguments as columns) so that the
-- queries the CLI and API make are single-table scans with filters.
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY,          -- sha256 of the raw input
    input_id VARCHAR,                -- the input's own id (JSONL "id")
    origin VARCHAR,                  -- file path (and line) it came from
    title VARCHAR,
    published VARCHAR,               -- ISO value at its precision
    published_precision VARCHAR,
    published_date DATE,             -- first day of `published`, for sorting and windows
    published_source VARCHAR,
    source VARCHAR,
    url VARCHAR,
    categories VARCHAR[],
    language VARCHAR,
    captions VARCHAR[],
    text VARCHAR,
    n_events INTEGER,
    ingested_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS actors (
    id VARCHAR PRIMARY KEY,          -- Wikidata QID or local:slug
    name VARCHAR,
    type VARCHAR,
    country VARCHAR,
    code VARCHAR,
    member_of VARCHAR[],
    roles VARCHAR,                   -- JSON list of {role, of, from, to}
    n_events INTEGER DEFAULT 0       -- events it takes part in (kept up to date on ingest)
);
CREATE TABLE IF NOT EXISTS actor_mentions (
    document_id VARCHAR,
    actor_id VARCHAR,
    start INTEGER,
    "end" INTEGER,
    text VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY,          -- document_id[:16] ':' event key
    document_id VARCHAR,
    event_key VARCHAR,               -- id within the document
    type VARCHAR,
    mode VARCHAR,
    context VARCHAR[],
    cameo VARCHAR,
    quad_class INTEGER,
    goldstein DOUBLE,
    actor_id VARCHAR,
    actor_name VARCHAR,
    recipient_id VARCHAR,
    recipient_name VARCHAR,
    date VARCHAR,                    -- ISO value at its precision, or NULL
    date_precision VARCHAR,
    date_text VARCHAR,
    date_start DATE,                 -- first day the event may be on
    date_end DATE,                   -- last day the event may be on
    location_name VARCHAR,
    location_country VARCHAR,
    location_admin1 VARCHAR,
    location_feature VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geonameid BIGINT,
    modality VARCHAR,
    attributed_id VARCHAR,
    attributed_name VARCHAR,
    disputed_by VARCHAR[],
    evidence_text VARCHAR,
    evidence_start INTEGER,
    evidence_end INTEGER,
    trigger_text VARCHAR,
    trigger_start INTEGER,
    trigger_end INTEGER,
    confidence DOUBLE,
    story_id VARCHAR                 -- cross-article story this report belongs to
);
CREATE TABLE IF NOT EXISTS event_mentions (
    event_id VARCHAR,
    document_id VARCHAR,
    start INTEGER,
    "end" INTEGER,
    text VARCHAR
);
CREATE TABLE IF NOT EXISTS quotes (
    document_id VARCHAR,
    idx INTEGER,
    speaker_id VARCHAR,
    speaker_name VARCHAR,
    text VARCHAR,
    start INTEGER,
    "end" INTEGER
);
CREATE TABLE IF NOT EXISTS errors (
    origin VARCHAR PRIMARY KEY,      -- file path (and line) of the failing input
    document_id VARCHAR,
    reason VARCHAR,                  -- stable reason code (errors.py `reason`)
    code VARCHAR,                    -- E-code
    message VARCHAR,
    attempts INTEGER,
    first_seen TIMESTAMP,
    last_seen TIMESTAMP,
    resolved BOOLEAN
);
-- One row per happening; every event belongs to exactly one story (most to a
-- story of one report). The representative event is the founding report.
CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY,          -- hash of the founding report's event id
    event_id VARCHAR,                -- representative (founding) report
    type VARCHAR,
    quad_class INTEGER,
    actor_id VARCHAR,
    recipient_id VARCHAR,
    date_start DATE,                 -- intersection of the reports' date bounds
    date_end DATE,
    location_name VARCHAR,
    location_country VARCHAR,
    geonameid BIGINT,
    evidence_text VARCHAR,
    first_reported DATE,             -- earliest publication day among the reports
    window_start DATE,               -- days a new report must overlap to be compared (dates,
    window_end DATE,                 -- or the days just before first_reported when undated)
    n_reports INTEGER,
    n_sources INTEGER,
    sources VARCHAR[],
    document_ids VARCHAR[]
);
-- Text search: the words of each event's evidence sentence (lower-cased, split
-- on spaces), one row per word and event. A search string without spaces
-- occurs in a sentence exactly when it occurs in one of its words, so the
-- words containing it (from search_vocabulary) lead to the events without
-- reading every sentence. Kept sorted by term (DuckDBStore.cluster_search) so
-- that zone maps skip all but the searched words' row groups.
CREATE TABLE IF NOT EXISTS search_terms (
    term VARCHAR,
    event_id VARCHAR,
    date_start DATE                  -- the event's, so a text-only page is read from here
);
CREATE TABLE IF NOT EXISTS search_vocabulary (
    term VARCHAR PRIMARY KEY,
    n INTEGER                        -- events whose sentence has the word
);
-- Point look-ups (get_event mentions, get_document, story members). Range
-- filters rely on DuckDB zone maps instead of ART indexes.
CREATE INDEX IF NOT EXISTS events_document_idx ON events (document_id);
CREATE INDEX IF NOT EXISTS events_story_idx ON events (story_id);
CREATE INDEX IF NOT EXISTS event_mentions_event_idx ON event_mentions (event_id);
CREATE INDEX IF NOT EXISTS actor_mentions_document_idx ON actor_mentions (document_id);
CREATE INDEX IF NOT EXISTS quotes_document_idx ON quotes (document_id);
