"""Background jobs: each a module with a run(db, settings) function, scheduled in-process."""
