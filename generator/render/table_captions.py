"""Tables in Markdown: captions, and column names on the cells of tables that stack on phones.

Pipe tables have no caption syntax: a paragraph `Table: …` just before a table becomes its
<caption>, which names the table for screen-reader users moving between tables.

A table inside `<div class="rs-stack" markdown>` gets each cell's column name in `data-label`, so
that on a narrow screen the stylesheet can show it as a list of rows, each cell labelled with its
column ("Date: 17 October 2023"), instead of a table cut at the screen's edge.

Every table that shares its parent with other content is put in a `<div class="rs-table">` of its own.
The theme's script wraps each table in the browser (its sideways-scrolling box); where the table sits
among the page's paragraphs, that insertion makes the browser restyle everything after it, which on a
long page is most of the page (tests/test_table_boxes.py). Inside its own box it restyles only the table.
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


BOX_CLASS = "rs-table"


class TableBoxProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table" and not is_alone_in(parent, child):
                    box = etree.Element("div", {"class": BOX_CLASS})
                    box.tail, child.tail = child.tail, None
                    parent.remove(child)
                    box.append(child)
                    parent.insert(index, box)


def is_alone_in(parent: etree.Element, child: etree.Element) -> bool:
    """The only element and text of a <div> (the table boxes of generated grids and stacks are such divs)."""
    return parent.tag == "div" and len(parent) == 1 and not (parent.text or "").strip() and not (child.tail or "").strip()


class TableCaptionExtension(Extension):
    def cache_fingerprint(self) -> str:
        return ""  # no settings: its code is in the cache key already

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(TableCaptionProcessor(md), "report_site_table_captions", 6)
        md.treeprocessors.register(StackedTableProcessor(md), "report_site_stacked_tables", 5)
        md.treeprocessors.register(TableBoxProcessor(md), "report_site_table_boxes", 4)


def makeExtension(**kwargs: object) -> TableCaptionExtension:  # noqa: N802 - Markdown's entry point
    return TableCaptionExtension(**kwargs)
