"""The Docker Hub API: client (calls), auth (PAT → JWT), models (tolerant upstream JSON), service."""
