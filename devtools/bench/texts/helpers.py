"""Small helpers shared by the languages' modules."""


def sentence(text: str) -> str:
    """`text` with its first letter capitalised (the rest as written: "LED", "IoT")."""
    return text[:1].upper() + text[1:]


def split_thing(thing: str) -> tuple[str, str]:
    """A thing written "head|tail": an adjective goes between them (in Arabic, "نظام|لإدارة
    البطاريات" and "ذكي" give "نظام ذكي لإدارة البطاريات"); without "|", the tail is empty."""
    head, _bar, tail = thing.partition("|")
    return head, tail


def whole(thing: str) -> str:
    head, tail = split_thing(thing)
    return f"{head} {tail}" if tail else head
