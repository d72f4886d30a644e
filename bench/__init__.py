"""Benchmark of the build at event scale: synthetic events, our build and its anchors side by side (``make bench``)."""
