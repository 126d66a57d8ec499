"""What every feature uses: settings, extensions, the database paths, errors, htmx helpers,
URLs, the clock, ids, keyset cursors, security, caches, templating, taxonomy, health."""
