package dev.kingsnake;

/** What kind of input a scan result describes. */
public enum PackageKind {
    SDIST, WHEEL, EGG, SOURCE_FILE, DIRECTORY, UNKNOWN
}
