"""Colour formatting for terminals."""

RESET = "\033[0m"
COLORS = {"red": "\033[31m", "green": "\033[32m", "yellow": "\033[33m"}


def paint(text, color):
    return COLORS.get(color, "") + text + RESET
