package dev.kingsnake.rules.shared;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which IPv4 addresses are reachable on the public internet (what a payload's server would have). */
public final class PublicAddresses {
    /** A dotted IPv4 address, its four parts as groups 1-4. */
    public static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

    private PublicAddresses() {
    }

    /**
     * Whether the four parts in groups 1-4 of a match form a public address: not private, loopback, link-local,
     * shared (CGNAT), benchmark, multicast or reserved. Documentation ranges count as public, so fixtures can
     * use them.
     */
    public static boolean isPublic(Matcher m) {
        int[] o = new int[4];
        for (int i = 0; i < 4; i++) {
            o[i] = Integer.parseInt(m.group(i + 1));
            if (o[i] > 255) {
                return false;
            }
        }
        return !(o[0] == 0 || o[0] == 10 || o[0] == 127 || o[0] >= 224
                || (o[0] == 169 && o[1] == 254) || (o[0] == 172 && o[1] >= 16 && o[1] <= 31)
                || (o[0] == 192 && o[1] == 168) || (o[0] == 100 && o[1] >= 64 && o[1] <= 127)
                || (o[0] == 198 && (o[1] == 18 || o[1] == 19)));
    }
}
