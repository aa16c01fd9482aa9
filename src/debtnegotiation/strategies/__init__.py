"""Built-in strategy plugins, one module each, written only against the plugin surface.

Each imports from :mod:`debtnegotiation.plugin` alone, as a third-party strategy would.
"""
