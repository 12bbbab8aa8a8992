from router.bayes import predict

__all__ = ["predict"]
