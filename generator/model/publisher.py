"""Who publishes the site, under what licence, and where readers can reach them.

Plain data (no MkDocs): the footer, the About page, the feeds and the data files all read the same
`Publisher`, so they cannot disagree. The defaults are the Care Inspectorate's, as its own
publications print them (the 2018-2020 review, 2020, and the North Lanarkshire report, 2023, in
/work/shared/sources); a site published by someone else sets its own in mkdocs.yml.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Licence:
    name: str
    url: str
    spdx: str
    """Open Knowledge / SPDX-style identifier, as data packages name licences."""


OGL_3 = Licence(
    name="Open Government Licence v3.0",
    url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    spdx="OGL-UK-3.0",
)


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str | None
    email: str | None
    phone: str | None
    address: str | None
    logo: str | None
    """A path inside docs_dir, or None: no logo is shown."""
    licence: Licence
    privacy_url: str | None
    """The publisher's privacy notice, or None (the site's own privacy page then says all there is)."""
    is_default: bool
    """True when mkdocs.yml sets no publisher of its own and the Care Inspectorate's details are used."""

    @property
    def copyright(self) -> str:
        return f"© {self.name}"


#: The Care Inspectorate's details as its publications print them (sources 001 and 002).
CARE_INSPECTORATE = {
    "name": "Care Inspectorate",
    "url": "https://www.careinspectorate.com",
    "email": "enquiries@careinspectorate.gov.scot",
    "phone": "0345 600 9527",
    "address": "Compass House, 11 Riverside Drive, Dundee DD1 4NY",
}


# Addresses reserved for examples and tests (RFC 2606, RFC 6761): a site built with one of these has
# canonical links, feeds and data that point nowhere.
_EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost", "local")


def is_example_address(url: str | None) -> bool:
    """True for a site_url that is an example or a local address, not one readers can reach."""
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return True
    if host == "localhost" or host.rsplit(".", 1)[-1] in _RESERVED_TLDS:
        return True
    if any(host == d or host.endswith("." + d) for d in _EXAMPLE_DOMAINS):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_unspecified


def example_address_message(url: str) -> str:
    return (
        f"site_url is {url}, an address reserved for examples: canonical links, feeds, open data and printed "
        "pages will point there. Set site_url in mkdocs.yml to the address the site is published at "
        "(README: Publishing)."
    )


def default_publisher() -> Publisher:
    """The Care Inspectorate under the Open Government Licence v3.0: what a site that names no publisher gets."""
    return Publisher(**CARE_INSPECTORATE, logo=None, licence=OGL_3, privacy_url=None, is_default=True)
