-- Knowledge generations: every validated seed a reseed installed in any process, so that
-- the others install it too (each keeps its own bbolt copy). The newest row wins.
CREATE TABLE knowledge_generations (
	gen        bigserial   PRIMARY KEY,
	catalog    bytea       NOT NULL, -- the seed.Catalog as JSON
	films      integer     NOT NULL,
	facts      integer     NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
