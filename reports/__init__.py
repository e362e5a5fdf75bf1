"""Staff reports: figures gathered from several apps, shown as charts and tables, and
downloadable as CSV. A gathering page, so it may import the apps (docs/ARCHITECTURE.md)."""
