"""The site: render one text as Markdown, the other pages, the docs/ tree, static assets and theme overrides."""
