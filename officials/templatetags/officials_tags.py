"""`{% contact_card official %}`: the one way to show an official to others (party contacts,
other officials, exports). Private data appears only as `selectors.published_fields` allows."""

from django import template

from officials.selectors import PublicContact, public_contact

register = template.Library()


@register.inclusion_tag("officials/_contact_card.html")
def contact_card(official_or_card, heading: str = "h3"):
    card = official_or_card if isinstance(official_or_card, PublicContact) else public_contact(official_or_card)
    return {"card": card, "heading": heading}

