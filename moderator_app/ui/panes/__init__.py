"""The context panes of the review screen: posts around the item (or a flagged channel's grid), reports grouped by
source, signals, and history with colleagues' notes. Everything from the server is shown as plain text."""
