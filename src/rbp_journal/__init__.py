"""rbp: a reflective-practice journal for social workers."""

__version__ = "0.1.0"
