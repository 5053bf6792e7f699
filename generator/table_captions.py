"""Table captions in Markdown: a paragraph `Table: …` just before a table becomes its <caption>.

Pipe tables have no caption syntax; a caption names the table for screen-reader users
moving between tables.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

PREFIX = "Table: "


class TableCaptionProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            children = list(parent)
            for paragraph, following in zip(children, children[1:], strict=False):
                if paragraph.tag != "p" or following.tag != "table" or not (paragraph.text or "").startswith(PREFIX):
                    continue
                caption = etree.Element("caption")
                caption.text = paragraph.text[len(PREFIX):]
                for child in list(paragraph):  # keep inline markup (links, emphasis) in the caption
                    caption.append(child)
                caption.tail = None
                following.insert(0, caption)
                tail = paragraph.tail
                parent.remove(paragraph)
                if tail and tail.strip():
                    following.tail = (following.tail or "") + tail


class TableCaptionExtension(Extension):
    def cache_fingerprint(self) -> str:
        return ""  # no settings: its code is in the cache key already

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(TableCaptionProcessor(md), "report_site_table_captions", 6)


def makeExtension(**kwargs: object) -> TableCaptionExtension:  # noqa: N802 - Markdown's entry point
    return TableCaptionExtension(**kwargs)
