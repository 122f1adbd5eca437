"""Rumour dispelling (MB2018-11, PA2020-13): known rumours, matching, tracing back, early warning."""
