-- A knowledge generation in chunks: each a gzip-compressed JSON seed.Catalog holding up to
-- 1,000 records of one kind, in order, so that neither the publishing process nor an
-- installing one ever holds the whole catalog as bytes besides the catalog itself.
-- Generations published before this migration keep their one catalog value (chunks 0).
ALTER TABLE knowledge_generations ALTER COLUMN catalog DROP NOT NULL;
ALTER TABLE knowledge_generations ADD COLUMN chunks integer NOT NULL DEFAULT 0;
CREATE TABLE knowledge_chunks (
	gen  bigint  NOT NULL REFERENCES knowledge_generations (gen) ON DELETE CASCADE,
	n    integer NOT NULL,
	part bytea   NOT NULL,
	PRIMARY KEY (gen, n)
);
