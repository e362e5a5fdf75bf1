"""The texts of generated listings, in the six languages of the portal.

A listing is first drawn as a `Concept`: language-neutral choices (which sector, which
thing for which use, which adjective, benefits, features and figures). Each language's
module (`en`, `fr`, `es`, `ru`, `ar`, `zh_hans`) renders a concept from its own word
lists, which run parallel to the English ones (the same sectors, the same number of
words in the same order), so the same concept in two languages is a translation: that is
how a generated listing carries translations of its original.

    texts = render(concept, "ru")   # {"title": ..., "summary": ..., "description": ..., "advantages": ...}
"""

from types import ModuleType

from . import ar, en, es, fr, ru, zh_hans
from .concept import Concept, draw_concept

LANGUAGE_MODULES: dict[str, ModuleType] = {
    "ar": ar,
    "zh-hans": zh_hans,
    "en": en,
    "fr": fr,
    "ru": ru,
    "es": es,
}

__all__ = ["LANGUAGE_MODULES", "Concept", "draw_concept", "render"]


def render(concept: Concept, language: str) -> dict[str, str]:
    """The title, summary, description and advantages of `concept` in `language`."""
    return LANGUAGE_MODULES[language].render(concept)
