"""Data files and the rules every layer shares: their schemas, readers and writers, atomic writes
and the masking gate.

The collector writes these files and the site reads them; both import this package and it imports
neither, so the site builds without the collector and a rule (a pass rate's rounding, an entry's
site code) is stated once.
"""
