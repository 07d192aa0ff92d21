package dev.kingsnake.internal.decode.marshal;

/** The code object layouts that differ between the Python versions we read. */
public enum MarshalFormat {
    /** Python 2.7: no kwonlyargcount, interned strings and string references. */
    PY27("2.7"),
    /** Python 3.0-3.7: kwonlyargcount added. */
    PY30_37("3.0-3.7"),
    /** Python 3.8-3.10: posonlyargcount added. */
    PY38_310("3.8-3.10"),
    /** Python 3.11-3.13: qualname, localsplusnames/kinds, exception table; no nlocals. */
    PY311_313("3.11-3.13");

    private final String versions;

    MarshalFormat(String versions) {
        this.versions = versions;
    }

    public String versions() {
        return versions;
    }
}
