"""Periodic reporting: indicators, forms, periods, data values, submissions, completeness."""
