"""What a generated listing says, before it is said in any language."""

import random
from dataclasses import dataclass

from . import en

# An adjective is not drawn for a thing or use that already says it ("Solar-powered
# solar pump", "Smart smart meter"): English stems checked against the English words,
# which every language translates in parallel.
ADJECTIVE_CLASHES = {
    "Solar-powered": ("solar", "pv "),
    "Compact": ("compact",),
    "Containerised": ("container",),
    "High-efficiency": ("efficien",),
    "Low-carbon": ("carbon", "clinker"),
    "Smart": ("smart",),
    "Modular": ("modular",),
    "Water-saving": ("water",),
}
TITLE_VARIANTS = 3  # languages with several title patterns pick one by `variant`


@dataclass(frozen=True)
class Concept:
    sector: str
    thing: int  # index into the sector's things, the same in every language
    use: int  # index into the sector's uses
    adjective: int
    benefits: tuple[tuple[int, int, int], ...]  # (index, n, y) twice: percentages, years
    features: tuple[int, int, int]
    variant: int
    pilot_years: int
    pilot_sites: int


def sector_words(module, sector: str) -> tuple[list, list]:
    """A language module's (things, uses) for `sector`; generic words for an unknown one."""
    return module.SECTOR_WORDS.get(sector, module.GENERIC_WORDS)


def draw_concept(rng: random.Random, sector_slugs: list[str]) -> Concept:
    """One concept, drawn from `rng` in a fixed order (the same seed, the same concepts)."""
    sector = rng.choice(sector_slugs)
    things, uses = sector_words(en, sector)
    thing, use = rng.randrange(len(things)), rng.randrange(len(uses))
    adjective = rng.randrange(len(en.ADJECTIVES))
    words = f"{things[thing]} {uses[use]} ".lower()
    for _attempt in range(len(en.ADJECTIVES)):
        clashes = ADJECTIVE_CLASHES.get(en.ADJECTIVES[adjective], ())
        if not any(stem in words for stem in clashes):
            break
        adjective = (adjective + 1) % len(en.ADJECTIVES)
    benefits = tuple(
        (index, rng.randint(10, 60), rng.randint(2, 5)) for index in rng.sample(range(len(en.BENEFITS)), 2)
    )
    features = tuple(rng.sample(range(len(en.FEATURES)), 3))
    return Concept(
        sector=sector,
        thing=thing,
        use=use,
        adjective=adjective,
        benefits=benefits,
        features=features,
        variant=rng.randrange(TITLE_VARIANTS),
        pilot_years=rng.randint(1, 6),
        pilot_sites=rng.randint(2, 80),
    )
