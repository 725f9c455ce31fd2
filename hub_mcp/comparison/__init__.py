"""Comparing two images for one platform (``compare_images``): layers, config, packages, vulnerabilities.

:mod:`hub_mcp.comparison.service` reads both sides through the registry client and the image facts service;
:mod:`hub_mcp.comparison.diff` says what differs (pure functions, bounded lists).
"""
