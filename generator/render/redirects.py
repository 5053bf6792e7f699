"""What an old address serves: a redirect page for a moved page, a copy for a moved data file or feed."""

from __future__ import annotations

from typing import Any

from generator.derive.addresses import Addresses, is_page, redirect_files, redirect_target
from generator.render.render import TEMPLATE_SUBDIR


def redirect_outputs(addresses: Addresses | None, files: dict[str, str], env: Any, site_url: str | None,
                     site_name: str) -> dict[str, str]:
    """What the old addresses serve: a redirect page for each moved page (escaped by the template's
    autoescaping, the path every markup template takes), and for a moved data file or feed a copy of
    the file it became (`files`: the build's data files and feeds, path -> content). Targets were checked
    to be addresses of this build, so none leads off the site."""
    if addresses is None:
        return {}
    template = env.get_template(f"{TEMPLATE_SUBDIR}/redirect.html.j2")
    base = site_url.rstrip("/") if site_url else ""
    out = {}
    for old, (new, _at) in sorted(addresses.redirects.items()):
        if is_page(old):
            canonical = base + new if base else None
            out[redirect_files(addresses)[old]] = template.render(target=redirect_target(old, new), canonical=canonical,
                                                                  new=new, site_name=site_name)
        elif new.lstrip("/") in files:
            out[old.lstrip("/")] = files[new.lstrip("/")]
    return out
