"""What `make bench` runs beside the portal: production settings with two extra pages to
compare against (a trivial view and an unindexed contains-scan catalogue), a middleware
that reports each request's SQL query count in a header, and the load tools' scripts."""
