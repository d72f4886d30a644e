"""The PDF stage: print templates and CSS through WeasyPrint, cached and in parallel."""
