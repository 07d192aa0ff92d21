package dev.kingsnake.cli;

import java.util.OptionalInt;

/**
 * The jar's entry point: a plain {@code java -jar kingsnake.jar scan|eval|gate ...} starts its child JVM from here
 * ({@link BatchJvm}) having loaded next to nothing of its own (no picocli, whose Java 5 classes the JVM verifies the
 * slow way and cannot put in a class archive); every other command, and the child, run {@link KingsnakeCommand}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        OptionalInt code = BatchJvm.launch(args);
        if (code.isPresent()) {
            System.exit(code.getAsInt());
        }
        KingsnakeCommand.run(args);
    }
}
