"""The network: ``http`` (the one place that sends HTTP), ``egress`` (the one policy every
request passes), ``cache`` (answers kept in process) and ``shared_state`` (the answer cache and
rate budget shared by replicas over Redis)."""
