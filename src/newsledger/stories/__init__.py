"""Stories: the same event across articles merged into one, articles grouped into stories, and
timelines of events per story, per actor and per pair of actors."""

from .cluster import Clusterer, label, settings
from .merge import merge_events

__all__ = ["Clusterer", "label", "merge_events", "settings"]
