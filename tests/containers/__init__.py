"""Container images built, run and probed for real with podman (see site/contributing.md)."""
