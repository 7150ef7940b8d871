def fourth_net(x, *, y=2):
    """From fourth/, added through a name bound to dirname(abspath(__file__))."""
