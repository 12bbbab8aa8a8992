def hello() -> str:
    return 'hi'
