"""Context of an event: when (time), where (place), how many (quantities), and how it is told
(modality: asserted, possible, intended, future, conditional, background)."""
