"""Short codes for lists of numbers: no annotations, no doctest, no caller."""


class Codec:
    """Writes non-negative integers in the base of its digits, joined by ``sep``."""

    DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"

    def __init__(self, digits=DIGITS, sep="-"):
        if len(digits) < 2 or len(set(digits)) != len(digits):
            raise ValueError("digits must be distinct, two at least")
        if sep in digits:
            raise ValueError("the separator cannot be a digit")
        self.digits = digits
        self.sep = sep

    def encode(self, *numbers):
        parts = []
        for number in numbers:
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise ValueError(f"cannot encode {number!r}")
            parts.append(self._digits_of(number))
        return self.sep.join(parts)

    def _digits_of(self, number):
        base = len(self.digits)
        text = ""
        while True:
            number, rest = divmod(number, base)
            text = self.digits[rest] + text
            if not number:
                return text

    def decode(self, code):
        numbers = []
        for part in code.split(self.sep):
            value = 0
            for char in part:
                value = value * len(self.digits) + self.digits.index(char)
            numbers.append(value)
        return numbers
