"""The commented config file ``seqedit config edit`` starts from."""

from __future__ import annotations

import os
from pathlib import Path

TEMPLATE = """\
# seqedit configuration. Every key is optional; delete the leading "# " to use one.
# Environment variables override this file: SEQEDIT_BASE_URL, SEQEDIT_THEME, SEQEDIT_PROFILE,
# SEQEDIT_READ_ONLY, SALESHANDY_API_KEY, VISUAL / EDITOR. NO_COLOR turns colours off.
# Check it with:  seqedit config show

# base_url = "https://open-api.saleshandy.com"
# theme = "seqedit-dark"            # a bundled theme, a Textual theme, or a file in the data dir
# editor = "vim"                    # for editing a field externally; $VISUAL / $EDITOR win
# sequence_sort = "created-desc"    # created-desc, created-asc, title-asc, title-desc
# read_only = false
# cache = true                      # show the last sequence listing at start (seqedit cache clear)

# The API key. Prefer the SALESHANDY_API_KEY variable or a password manager command.
# api_key_command = "pass show saleshandy"
# api_key = "…"                     # only if this file is private: chmod 600

# default_profile = "acme"

# Remap any key by its binding id (multiplexers take ctrl+s, ctrl+j, ctrl+o).
# [keymap]
# save-variant = "f2"

# Sample prospects fill the Preview's merge tags (n cycles them) on a real account: the API has
# no endpoint for them, so they live here. One table per prospect, field label = value, labels
# as in your merge tags ({{First Name}}). A profile's own list replaces this one.
# [[sample_prospects]]
# "First Name" = "Ada"
# "Company" = "Acme"

# One table per account; each may override base_url, api_key, api_key_command, read_only, cache,
# theme, sample_prospects.
# [profiles.acme]
# api_key_command = "pass show saleshandy/acme"
# read_only = true
# [[profiles.acme.sample_prospects]]
# "First Name" = "Grace"
"""


def write_template(path: Path) -> bool:
    """Create ``path`` (0600) holding :data:`TEMPLATE`; False if it already exists."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(TEMPLATE)
    return True
