"""The editing session, without Textual: what changed, drafts kept, saves, connecting."""
