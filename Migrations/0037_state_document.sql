-- The repository's state documents (pins, verdicts, policies under state/) this catalog has
-- applied, with the version the listing gave (a bucket's ETag, a file's size, mtime and
-- inode). The synchronisation of an S3 repository's cache reads only the documents whose
-- version changed, instead of every document on every open. A cache without rows (made by
-- an earlier release) reads everything once and fills it.
CREATE TABLE state_document (
    name    TEXT PRIMARY KEY,
    version TEXT NOT NULL
) WITHOUT ROWID;
