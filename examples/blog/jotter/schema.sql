-- Jotter's tables. Running this file (flask --app jotter init-db) erases all data.

DROP TABLE IF EXISTS entry;
DROP TABLE IF EXISTS author;

CREATE TABLE author (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    handle TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    joined_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE entry (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id INTEGER NOT NULL REFERENCES author (id) ON DELETE CASCADE,
    headline TEXT NOT NULL,
    content TEXT NOT NULL,
    written_at TEXT NOT NULL DEFAULT (datetime('now')),
    revised_at TEXT
);

CREATE INDEX entry_by_date ON entry (written_at DESC);
