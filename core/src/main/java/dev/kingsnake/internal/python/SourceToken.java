package dev.kingsnake.internal.python;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenFactory;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;
import org.antlr.v4.runtime.WritableToken;
import org.antlr.v4.runtime.misc.Pair;

/**
 * A lexer token that reads its text from the source when asked. ANTLR's {@link CommonToken} is 48 bytes with its
 * source pair and text fields, and each {@link #getText()} went through an {@code Interval} and the char stream;
 * about nine million tokens are made for torch 2.14.1's Python (0.4 GB). This one holds the source, its
 * positions, and type and channel in one int: 40 bytes. It answers as the {@code CommonToken} of ANTLR's default
 * factory does ({@code SourceTokenTest}), except that it has no token source or input stream (nothing of ours or
 * of the parser's bail-out error strategy asks for them) and its text cannot be set.
 */
final class SourceToken implements WritableToken {
    private final SourceText source;
    /** {@code type * 2 + channel}: the channel is the default or the hidden one. */
    private int typeAndChannel;
    private int line;
    private int column;
    private int index = -1;
    private final int start;
    private final int stop;

    private SourceToken(SourceText source, int type, int channel, int start, int stop, int line, int column) {
        this.source = source;
        this.typeAndChannel = pack(type, channel);
        this.start = start;
        this.stop = stop;
        this.line = line;
        this.column = column;
    }

    private static int pack(int type, int channel) {
        if (channel != DEFAULT_CHANNEL && channel != HIDDEN_CHANNEL) {
            throw new IllegalArgumentException("channel " + channel);
        }
        return type * 2 + channel;
    }

    /** The lexer's factory: a {@link SourceToken} for each token whose text is the source's, else a CommonToken. */
    static final class Factory implements TokenFactory<Token> {
        private final SourceText source;

        Factory(SourceText source) {
            this.source = source;
        }

        @Override
        public Token create(Pair<TokenSource, CharStream> from, int type, String text, int channel, int start,
                            int stop, int line, int charPositionInLine) {
            if (text != null || (channel != DEFAULT_CHANNEL && channel != HIDDEN_CHANNEL)) {
                return CommonTokenFactory.DEFAULT.create(from, type, text, channel, start, stop, line,
                        charPositionInLine);
            }
            return new SourceToken(source, type, channel, start, stop, line, charPositionInLine);
        }

        @Override
        public Token create(int type, String text) {
            return new CommonToken(type, text);
        }
    }

    @Override
    public String getText() {
        int n = source.length();
        if (start < n && stop < n) {
            int from = Math.min(start, n);
            int to = Math.min(stop + 1, n);
            return source.token(from, Math.max(from, to));
        }
        return "<EOF>";
    }

    @Override
    public int getType() {
        return typeAndChannel >> 1;
    }

    @Override
    public int getLine() {
        return line;
    }

    @Override
    public int getCharPositionInLine() {
        return column;
    }

    @Override
    public int getChannel() {
        return typeAndChannel & 1;
    }

    @Override
    public int getTokenIndex() {
        return index;
    }

    @Override
    public int getStartIndex() {
        return start;
    }

    @Override
    public int getStopIndex() {
        return stop;
    }

    @Override
    public TokenSource getTokenSource() {
        return null;
    }

    @Override
    public CharStream getInputStream() {
        return null;
    }

    @Override
    public void setText(String text) {
        throw new UnsupportedOperationException("the text of a source token is the source's");
    }

    @Override
    public void setType(int ttype) {
        typeAndChannel = pack(ttype, getChannel());
    }

    @Override
    public void setLine(int line) {
        this.line = line;
    }

    @Override
    public void setCharPositionInLine(int pos) {
        this.column = pos;
    }

    @Override
    public void setChannel(int channel) {
        typeAndChannel = pack(getType(), channel);
    }

    @Override
    public void setTokenIndex(int index) {
        this.index = index;
    }

    /** As {@link CommonToken#toString()} without a recognizer. */
    @Override
    public String toString() {
        String channel = getChannel() > 0 ? ",channel=" + getChannel() : "";
        String txt = getText();
        txt = txt.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return "[@" + index + "," + start + ":" + stop + "='" + txt + "',<" + getType() + ">" + channel + ","
                + line + ":" + column + "]";
    }
}
