"""A tiny ledger with five planted slow spots, each cheap to fix, of very different real cost."""
