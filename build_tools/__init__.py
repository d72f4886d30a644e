"""LO Briefing: turns an event's guest records and the LO knowledge base into an offline site and PDF handbooks."""

__version__ = "0.1.0"
