"""The shared language of client and server: wire models, actions, policy reasons, roles, error codes.

Pure Python: nothing here imports Qt, HTTP or SQL libraries, nor any other part of the application.
"""
