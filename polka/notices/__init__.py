"""Notices: email to readers, guests and staff, queued and sent by `polka notices`."""
