"""Guests in and out of a spreadsheet (.xlsx with openpyxl, or CSV): the secretariat's registration data."""
