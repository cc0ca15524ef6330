"""Talks to a moderation server: typed API client, keyring token store, durable decision outbox and its sender.

No Qt here: the workflow layer runs these blocking calls on worker threads.
"""
