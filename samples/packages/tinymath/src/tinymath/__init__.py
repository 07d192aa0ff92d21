"""Small numeric helpers."""

from .stats import mean, median

__all__ = ["clamp", "mean", "median"]
__version__ = "1.2.0"


def clamp(value, low, high):
    """Returns value limited to the closed range [low, high]."""
    if low > high:
        raise ValueError("low must not exceed high")
    return max(low, min(high, value))
