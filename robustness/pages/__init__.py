"""The access oracle's pages (robustness/access_pages.py), one module per app family."""
