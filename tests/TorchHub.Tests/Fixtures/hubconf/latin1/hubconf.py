# -*- coding: latin-1 -*-
def latin(name="café"):
    """Résumé in Latin-1: naïve, § 5."""
