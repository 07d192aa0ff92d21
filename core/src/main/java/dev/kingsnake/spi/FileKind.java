package dev.kingsnake.spi;

/** What a file in a package is, by name and content. */
public enum FileKind {
    PYTHON, PTH, PYPROJECT, SETUP_CFG, METADATA, RECORD, ENTRY_POINTS, BYTECODE, NATIVE_BINARY, TEXT, OTHER
}
