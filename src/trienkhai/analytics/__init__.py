"""Live rollups of reported values, analytics views, and DHIS2/ADX interchange (issue 4)."""
