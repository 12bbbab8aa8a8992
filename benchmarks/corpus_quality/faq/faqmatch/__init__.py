from faqmatch.index import FaqIndex

__all__ = ["FaqIndex"]
