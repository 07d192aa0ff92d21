package dev.kingsnake;

/** When a piece of code runs on a victim's machine, as far as static analysis can tell. */
public enum Reach {
    /** Runs while the package is installed or built (setup.py, cmdclass overrides, build backends). */
    INSTALL_TIME,
    /** Runs when the package is imported or when the interpreter starts (.pth files). */
    IMPORT_TIME,
    /** Runs only when some function is called. */
    CALLED,
    /** Not Python code, or not decidable. */
    UNKNOWN
}
