"""Pages that cross the texts: who and what, themes, connections, timeline.

* ``who-and-what/ID.md``: one page per entity in the glossary, with its
  description and every mention in the collection, grouped by text, each
  with the words around it and a link to its paragraph;
  ``who-and-what/index.md`` lists them by kind.
* ``themes/ID.md``: passages that make the same claim or carry the same
  quote in several texts, side by side, from ``seeds/themes.yml``; each
  passage also gets a cross-reference note in its text's margin.
* ``connections.md``: which texts share which themes and people, drawn at
  build time as an inline SVG (no script), with a table for screen readers.
* ``timeline.md``: dated events the texts mention, from ``seeds/timeline.yml``.

Scraped words reach these pages only through ``escape.text``; our own data
(names, descriptions, summaries) is escaped the same way, so none of it can
become markup.

One module a kind of page: entities, themes, connections, timeline; passages
(what themes.yml and timeline.yml point at, loaded and checked) and common
(paths, links and the small pieces every kind uses).  The names below are
what the rest of the site uses.
"""
from .common import entity_path, text_path, theme_path
from .connections import connections_page
from .entities import entity_link, entity_sections, iter_entity_pages
from .passages import load_themes, load_timeline, themes_path, timeline_path
from .themes import theme_notes, theme_pages
from .timeline import timeline_page

__all__ = ["connections_page", "entity_link", "entity_path", "entity_sections", "iter_entity_pages", "load_themes",
           "load_timeline", "text_path", "theme_notes", "theme_pages", "theme_path", "themes_path", "timeline_page",
           "timeline_path"]
