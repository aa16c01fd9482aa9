"""Built-in strategy plugins, one module each, written only against the public hooks."""
