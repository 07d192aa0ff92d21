package dev.kingsnake.spi.python;

/** Which kind of display or comprehension. */
public enum SeqKind {
    LIST, TUPLE, SET, DICT, GENERATOR
}
