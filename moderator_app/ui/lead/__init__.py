"""The team lead's screens: dashboard with charts, bulk reassignment, queue settings."""
