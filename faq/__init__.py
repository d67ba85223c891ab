"""The knowledge base: categorized help articles, their popularity and customer feedback."""
