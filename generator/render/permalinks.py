"""Each heading's permalink named for screen readers: "Link to this section: Key messages", not "¶".

Python-Markdown's toc extension puts a link after every heading whose only text is the pilcrow, so a screen reader
announced each one as "¶" and a keyboard user met a row of identical tab stops (issue 26). The link keeps its sign
for sighted readers; its accessible name says where it leads."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LABEL = "Link to this section: {}"


class PermalinkLabelProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for heading in root.iter():
            if heading.tag not in HEADINGS:
                continue
            links = [a for a in heading if a.tag == "a" and "headerlink" in (a.get("class") or "").split()]
            if not links:
                continue
            words = (heading.text or "") + "".join(
                "".join(child.itertext()) + (child.tail or "") for child in heading if child not in links)
            for link in links:
                link.set("aria-label", LABEL.format(" ".join(words.split())))


class PermalinkLabelExtension(Extension):
    def cache_fingerprint(self) -> str:
        return ""  # no settings: its code is in the cache key already

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        # after toc (5), which adds the permalinks
        md.treeprocessors.register(PermalinkLabelProcessor(md), "report_site_permalink_labels", 3)
