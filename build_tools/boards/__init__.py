"""Coordinator boards: views across all guests (arrivals, rooming, transport, catering, LOs) as a page, a PDF, an .xlsx."""
