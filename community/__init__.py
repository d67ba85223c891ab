"""Community forum: members ask and answer, moderators keep it clean."""
