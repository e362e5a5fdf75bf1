"""Markdown written by members, rendered to HTML that is safe to show.

Python-Markdown passes raw HTML through (including <script>), so its output is always
cleaned by nh3 with an allowlist: no scripts, no event handlers, no javascript: links.
"""

import re

import markdown as markdown_lib
import nh3

HEADING = re.compile(r"<(/?)h([1-6])>")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "abbr", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML. Headings start at h3: the page owns h1 and the h2 of
    the section the text sits in."""
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"])
    html = HEADING.sub(lambda match: f"<{match[1]}h{min(max(int(match[2]) + 1, 3), 6)}>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
