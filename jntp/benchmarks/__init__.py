"""`make bench`: what the application costs at national scale, measured in-process.

pages.py    the registry of pages to time, per role: add every new list, detail and dashboard page
harness.py  the timing (median and p95 of server time, query counts) and the report
"""
