"""A listing as a schema.org Product, in JSON-LD (common/structured_data.py)."""

from common.structured_data import CONTEXT, absolute
from common.translated import Translated, translated

from .models import Technology


def technology_product(technology: Technology, texts: dict[str, Translated] | None = None) -> dict:
    """The listing as its page shows it: `texts` are the page's (common.translated.reading),
    by default each text in the active language, or in its original when it has no
    translation. Reads only what the detail page's selector loaded: the sector, the
    organisation and the ordered images."""
    texts = texts or {}
    url = absolute(technology.get_absolute_url())
    data = {
        "@context": CONTEXT,
        "@type": "Product",
        # The same item as the page's microdata (itemid), not a second product.
        "@id": f"{url}#product",
        "name": (texts.get("title") or translated(technology, "title")).text,
        "url": url,
    }
    summary = (texts.get("summary") or translated(technology, "summary")).text
    if summary:
        data["description"] = summary
    if technology.sector:
        data["category"] = str(technology.sector)
    images = getattr(technology, "ordered_images", None)
    if images is None:
        images = list(technology.images.order_by("order", "pk"))
    if images:
        data["image"] = [absolute(image.get_absolute_url()) for image in images]
    if technology.organisation:
        organisation = {"@type": "Organization", "name": technology.organisation.name}
        if technology.organisation.website:
            organisation["url"] = technology.organisation.website
        data["brand"] = organisation
        data["manufacturer"] = organisation
    if technology.country_developed:
        data["countryOfOrigin"] = technology.country_developed.name  # as the microdata says it
    return data
