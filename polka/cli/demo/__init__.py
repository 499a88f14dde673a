"""`polka demo`: a deterministic generator of a fictional city library network."""
