"""Tables in Markdown: captions, and column names on the cells of tables that stack on phones.

Pipe tables have no caption syntax: a paragraph `Table: …` just before a table becomes its
<caption>, which names the table for screen-reader users moving between tables.

A table inside `<div class="rs-stack" markdown>` gets each cell's column name in `data-label`, so
that on a narrow screen the stylesheet can show it as a list of rows, each cell labelled with its
column ("Date: 17 October 2023"), instead of a table cut at the screen's edge.
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
                caption.text = (paragraph.text or "")[len(PREFIX):]
                for child in list(paragraph):  # keep inline markup (links, emphasis) in the caption
                    caption.append(child)
                caption.tail = None
                following.insert(0, caption)
                tail = paragraph.tail
                parent.remove(paragraph)
                if tail and tail.strip():
                    following.tail = (following.tail or "") + tail


STACK_CLASS = "rs-stack"


class StackedTableProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for div in root.iter("div"):
            if STACK_CLASS not in (div.get("class") or "").split():
                continue
            for table in div.iter("table"):
                head = table.find("thead")
                names = ["".join(th.itertext()).strip() for th in head.iter("th")] if head is not None else []
                for row in table.iter("tr"):
                    for name, cell in zip(names, row.findall("td"), strict=False):
                        cell.set("data-label", name)


class TableCaptionExtension(Extension):
    def cache_fingerprint(self) -> str:
        return ""  # no settings: its code is in the cache key already

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(TableCaptionProcessor(md), "report_site_table_captions", 6)
        md.treeprocessors.register(StackedTableProcessor(md), "report_site_stacked_tables", 5)


def makeExtension(**kwargs: object) -> TableCaptionExtension:  # noqa: N802 - Markdown's entry point
    return TableCaptionExtension(**kwargs)
