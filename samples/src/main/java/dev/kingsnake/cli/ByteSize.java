package dev.kingsnake.cli;

/** A byte count as given on the command line; prints in its shortest exact form (64M). */
record ByteSize(long bytes) {
    @Override
    public String toString() {
        return SizeConverter.format(bytes);
    }
}
