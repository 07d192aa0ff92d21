package dev.kingsnake.internal.decode;

import dev.kingsnake.spi.Location;

import java.util.List;

/**
 * A payload recovered from an encoded literal.
 *
 * @param content the decoded bytes
 * @param chain   the decoding steps from the outer literal inwards (e.g. base64, zlib, reversed)
 * @param origin  the outermost encoded literal
 * @param python  true when the content is Python source (then it is parsed and scanned as a file)
 */
public record DecodedLayer(byte[] content, List<String> chain, Location origin, boolean python) {
    public DecodedLayer {
        chain = List.copyOf(chain);
    }
}
