"""The QA reviewer's screens: blind second review, disputes, agreement figures, audit log, appeals."""
