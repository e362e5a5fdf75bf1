"""`make two-machines`: two web machines behind one address, sharing PostgreSQL, Redis and
the bucket, checked over HTTP (README: "Running on several machines")."""
