from shoprank.ranker import Hit, rank

__all__ = ["Hit", "rank"]
