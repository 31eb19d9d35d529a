"""The analysis core: parsing, rules, findings and fixes. Knows nothing of LSP."""
