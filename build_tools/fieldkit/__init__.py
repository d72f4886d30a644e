"""The LO's field kit: pocket emergency card, daily run sheet, calendar (.ics), contacts (.vcf) and what changed since
the published version. ``documents`` makes them for the entries of the output plan (``compose.plan``)."""
