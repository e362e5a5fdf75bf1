"""Fault injection for `make faults` (issue 8): real processes on this machine only.

`devtools/management/commands/faults.py` is the entry point; `stack` starts and stops the
private services, `users` simulates members over HTTP, `scenarios` injects the faults
and checks the outcome, `report` writes docs/RELIABILITY.md.
"""
