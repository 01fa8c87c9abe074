"""juesuan (决算): open data for Chinese government departmental final accounts."""

__version__ = "0.1.0"
