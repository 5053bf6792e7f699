"""Raw HTML in pages passes only through an allowlist (nh3, the Rust `ammonia` sanitiser).

The allowlist is what Python-Markdown and the enabled extensions produce (tables,
admonitions, footnotes, permalinks, md_in_html blocks) plus the few elements our
templates use. Scripts, frames, forms, event handlers and javascript:/data: URLs
cannot survive it, whether they came from data, narrative or a mistake.
"""

from __future__ import annotations

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-describedby", "aria-hidden"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"style", "colspan", "rowspan", "data-label"},  # a stacked table's column name (table_captions.py)
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "details": {"open"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    """Keep only allowlisted elements and attributes; drop unsafe URLs and everything inside <script>/<style>."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "title"},
        filter_style_properties={"text-align"},
        strip_comments=True,
    )
