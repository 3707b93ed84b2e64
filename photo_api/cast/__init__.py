"""Cast ("Play album on TV"): pairing a TV with an album, and what the TV reads of it."""
