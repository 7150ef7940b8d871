def triple_double():
    """Triple double quotes."""


def triple_single():
    '''Triple single quotes with "inner" quotes.'''


def single_double():
    "Single double quotes with 'inner' quotes."


def single_single():
    'Single single quotes.'


def raw_string():
    r"""Raw: \n stays, \\ stays, \" stays."""


def upper_raw():
    R'''Upper-case raw prefix: \t'''


def unicode_prefix():
    u"""Unicode prefix: caf\xe9."""


def implicit_concat():
    "Implicit " 'concatenation ' """of three
    literals."""


def parenthesized():
    ("Parenthesized "
     "docstring.")


def escapes():
    """Escapes: tab\tnewline\nbell\a backspace\b formfeed\f vtab\v cr\r quote\' dquote\" backslash\\ octal\101\7 hex\x41 u\u00e9 U\U0001F600 name\N{BULLET}\N{degree sign} unknown\q end."""


def continuation():
    """Line \
continuation inside the literal."""


def continued_header(a,
                     b=1):
    """Header continues over lines."""


def newline_indent():
    """
    Starts with a newline and indentation.

    Args:
        x: indented more.
    """


def tabs_inside():
    """Tabs:
	tab-indented line
	    mixed
    """


def f_string_is_not_doc():
    f"""An f-string is not a docstring."""


def bytes_is_not_doc():
    b"""Bytes are not a docstring."""


def not_first_statement():
    x = 1
    """Not the first statement."""


def one_liner(): "One liner."


class Documented:
    """Class docstring.

    More.
    """

    def __init__(self, x, *, y=2):
        pass


class Undocumented:
    def __init__(self):
        """Only __init__ has a docstring: the class's __doc__ is None."""


def empty_doc():
    """"""


def unicode_text():
    """Ünïcödé, 日本語, emoji 🎉 and a non-breaking\u00a0space."""


def hangul_and_cjk():
    "\N{HANGUL SYLLABLE GAG} \N{CJK UNIFIED IDEOGRAPH-4E00} \N{LATIN SMALL LETTER A WITH GRAVE}"


def comment_before_doc():
    # a comment does not count as a statement
    """Docstring after a comment."""
