"""The vocabulary: pure, typed code with no I/O that every room speaks.

``references`` (image references and platforms), ``tags`` (the tag grammar: versions, variants,
distro codenames), ``lifecycle`` (release and end-of-life dates, bundled as ``lifecycle.json``)
and ``common`` (dates and one-line text).
"""
