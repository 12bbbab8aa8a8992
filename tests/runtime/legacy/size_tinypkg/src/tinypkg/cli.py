import argparse

def main() -> None:
    argparse.ArgumentParser(prog='tiny').parse_args()
