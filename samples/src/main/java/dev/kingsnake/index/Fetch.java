package dev.kingsnake.index;

import java.util.Objects;

/**
 * The outcome of asking an index for something: found, not there, or failed (with why).
 *
 * @param <T> what was asked for
 */
public sealed interface Fetch<T> {

    /** The index answered with the thing. */
    record Found<T>(T value) implements Fetch<T> {
        public Found {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The index answered 404 or 410: it does not have it. */
    record Missing<T>(int status) implements Fetch<T> {
    }

    /** The index could not be used; {@code message} says why in one sentence. */
    record Failed<T>(Failure kind, String message) implements Fetch<T> {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Why a fetch failed. */
    enum Failure {
        /** No connection could be made, or it broke. */
        UNREACHABLE,
        /** The index did not answer, or stopped sending, within the timeout. */
        TIMEOUT,
        /** The index answered 429 or 5xx: overloaded or broken for now. */
        UNAVAILABLE,
        /** The index answered with an error status or something that is not a Simple API page. */
        BAD_RESPONSE,
        /** The file's sha-256 differs from the one the index lists. */
        HASH_MISMATCH,
        /** The file is larger than the size limit. */
        TOO_LARGE
    }
}
