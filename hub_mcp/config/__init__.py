"""Configuration: the settings a process runs with (``settings``: every option once, with its
default, bounds and help) and where credentials come from (``credentials``: the environment, the
docker config, credential helpers)."""
