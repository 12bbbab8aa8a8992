"""A fixture package whose inputs only its own source tells (it has no tests).

numbers: a formatter annotated with an alias that exists for type checkers only;
dates: a parser of a format its regex defines; ranges: a function documented by a
README example only; store: a function of a database connection its module makes.
"""
