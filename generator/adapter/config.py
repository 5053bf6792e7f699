"""The plugin's settings (`mkdocs.yml`, under `report-site:`), checked by MkDocs before the build starts."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from generator.model.publisher import CARE_INSPECTORATE, OGL_3, Licence, Publisher


class PublisherConfig(base.Config):
    """Who publishes the site. Leave `name` out to use the Care Inspectorate's details (the default);
    a publisher that sets `name` sets the rest too: nothing of the default is mixed in."""

    name = c.Optional(c.Type(str))
    """The publisher, as the footer, the About page, the feeds and the data files name it."""
    url = c.Optional(c.Type(str))
    """The publisher's own website."""
    email = c.Optional(c.Type(str))
    """The address readers write to (footer, About page, accessibility statement)."""
    phone = c.Optional(c.Type(str))
    """The telephone number readers call, as it should be printed."""
    address = c.Optional(c.Type(str))
    """The postal address, on one line."""
    logo = c.Optional(c.Type(str))
    """An image inside docs_dir shown in the header instead of the theme's icon (none by default)."""
    privacy_url = c.Optional(c.Type(str))
    """The publisher's privacy notice; the site's own privacy page links to it."""
    licence_name = c.Type(str, default=OGL_3.name)
    """The licence the text and data are published under."""
    licence_url = c.Type(str, default=OGL_3.url)
    """Where the licence is published."""
    licence_id = c.Type(str, default=OGL_3.spdx)
    """Its identifier in data packages (`OGL-UK-3.0`)."""


class ReportSiteConfig(base.Config):
    templates_dirs = c.ListOfItems(c.Type(str), default=["overrides"])
    """Folders whose report-site/ subfolders hold page templates, searched in order (relative to mkdocs.yml).

    Put a theme's folder first to override single templates or fragments; keep `overrides` last."""
    drafts = c.Choice(("auto", "show", "hide"), default="auto")
    """'auto' shows drafts in `mkdocs serve` only; 'show' and 'hide' force it."""
    nav = c.Type(bool, default=True)
    """Build the navigation from the data (leave mkdocs.yml without `nav:`)."""
    glossary_links = c.Type(bool, default=True)
    """Link the first use of each glossary term on a page to its entry."""
    atomic = c.Type(bool, default=True)
    """Build into a staging folder and replace site_dir only after a good build (never with `--dirty`)."""
    cache_dir = c.Type(str, default=".cache/report-site")
    """Folder for the build cache, relative to mkdocs.yml (outside docs_dir and site_dir); safe to delete. Empty: no cache."""
    workers = c.Type(int, default=0)
    """Processes converting generated pages' Markdown to HTML: 0 one per core, 1 none (all in MkDocs' process)."""
    publisher = c.SubConfig(PublisherConfig)
    """Who publishes the site (footer, About page, feeds, data files); the Care Inspectorate by default."""
    precompress = c.Type(bool, default=True)
    """Write .gz and .br copies beside every text file of a build, for hosts that serve them (not in `mkdocs serve`)."""
    example_site_url = c.Choice(("warn", "note"), default="warn")
    """What a build does when site_url is an address reserved for examples (example.org, .test, localhost):
    'warn' (the default: `--strict` fails, so such a site is never published by mistake), or 'note' (one
    line of information) for a site that is built for review before its address is decided.
    `mkdocs gh-deploy` always warns."""
    accessibility_results = c.Type(str, default="accessibility-results.json")
    """The results the accessibility tests record (relative to mkdocs.yml), from which the accessibility statement
    (`report_site: accessibility`) reports compliance and testing; a missing file: the statement says none are recorded."""
    search = c.Type(bool, default=True)
    """Site search: a search page, a link to it in the header, and a Pagefind index built over the site before it is published."""


def make_publisher(cfg: PublisherConfig) -> Publisher:
    """The publisher from mkdocs.yml; without a `name`, the Care Inspectorate's details (the default)."""
    values = {k: cfg[k] for k in ("name", "url", "email", "phone", "address")}
    is_default = not values["name"]
    if is_default:
        values = dict(CARE_INSPECTORATE)
    licence = Licence(cfg.licence_name, cfg.licence_url, cfg.licence_id)
    return Publisher(**values, logo=cfg.logo, licence=licence, privacy_url=cfg.privacy_url, is_default=is_default)
