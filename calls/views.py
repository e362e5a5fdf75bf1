"""Public pages of calls (the list, a call, its feed and deadline calendar): built by the
public-pages part of issue 21."""
