package dev.kingsnake.spi;

/**
 * Two ways of reading one archive that disagree about an entry: a zip's local header and its central directory
 * naming it differently, two entries with one name and different content, entries whose data overlap. No
 * packaging tool writes such an archive; the disagreement lets a payload reach the installer while a scanner
 * (or a reviewer's unzip) reads something else.
 *
 * @param path        the entry concerned, as scanned
 * @param description what disagrees
 */
public record ParserDifferential(String path, String description) {
}
