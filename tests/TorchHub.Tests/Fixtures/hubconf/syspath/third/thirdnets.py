def third_net():
    """From third/, added as str(Path(__file__).resolve().parent / 'third')."""
