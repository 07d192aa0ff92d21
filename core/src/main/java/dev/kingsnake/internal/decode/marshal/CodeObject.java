package dev.kingsnake.internal.decode.marshal;

import java.util.List;

/**
 * The parts of a code object that tell what it does: its names (globals, attributes, imports), local
 * names, constants (strings, numbers, nested code) and where it claims to come from.
 */
public record CodeObject(String name, String qualname, String filename, int firstLine, List<String> names,
                         List<String> localNames, List<PyObject> constants, byte[] bytecode) {
    public CodeObject {
        names = List.copyOf(names);
        localNames = List.copyOf(localNames);
        constants = List.copyOf(constants);
    }
}
