"""Contact form: message first, live suggested answers, nothing lost (issue 4)."""
