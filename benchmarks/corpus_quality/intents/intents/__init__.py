from intents.model import classify

__all__ = ["classify"]
