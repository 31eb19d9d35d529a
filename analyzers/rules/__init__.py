"""One rule per module, named after the code and the bad pattern (``hs101_list_membership_in_loop``)."""
