package dev.kingsnake.spi;

/** Behaviour tags the scoring model knows how to combine. A rule may carry several. */
public final class Tags {
    private Tags() {
    }

    /** Runs code from data: exec/eval/compile/marshal/pickle on non-literal input. */
    public static final String EXECUTE = "execute";
    /** Starts processes or shells. */
    public static final String PROCESS = "process";
    /** Talks to the network. */
    public static final String NETWORK = "network";
    /** Downloads something. */
    public static final String DOWNLOAD = "download";
    /** Decodes, decompresses or decrypts data. */
    public static final String DECODE = "decode";
    /** Hides what the code does. */
    public static final String OBFUSCATION = "obfuscation";
    /** Reads secrets: credentials, tokens, browser data, wallets, env vars. */
    public static final String CREDENTIALS = "credentials";
    /** Collects facts about the host or user. */
    public static final String FINGERPRINT = "fingerprint";
    /** Sends data out (webhooks, paste sites, POST of collected data). */
    public static final String EXFILTRATION = "exfiltration";
    /** Writes files or executables outside the package. */
    public static final String FILE_WRITE = "file-write";
    /** Survives reboot or re-login: startup folders, Run keys, cron, shell profiles. */
    public static final String PERSISTENCE = "persistence";
    /** Reverse/bind shell or remote control. */
    public static final String BACKDOOR = "backdoor";
    /** Cryptocurrency mining. */
    public static final String MINER = "miner";
    /** Native executables shipped in the package. */
    public static final String BINARY = "binary";
    /** Who the package pretends to be: name, metadata, archive integrity. */
    public static final String METADATA = "metadata";
    /**
     * Who the package pretends to be (a {@link #METADATA} rule): typosquatting, dependency-confusion versions,
     * throw-away author addresses, borrowed repositories or command names. Combined with install-time code by the
     * scoring; archive-integrity findings (RECORD, layout, names) do not carry it.
     */
    public static final String IDENTITY = "identity";
    /**
     * The package says next to nothing about itself (a {@link #METADATA} rule: no description, author or home
     * page): a throw-away upload. Combined by the scoring with install-time network code, the shape of
     * dependency-confusion probes.
     */
    public static final String ANONYMOUS = "anonymous";
    /**
     * What the package makes pip install besides itself: a declared dependency that is not what it claims to be.
     */
    public static final String DEPENDENCY = "dependency";
    /**
     * What the package can do, not what it is judged to do (process execution, network client, clipboard ...):
     * an inventory kept for review and release diffs. A capability rule reports at {@code INFO} severity, so its
     * findings weigh nothing in the score and never complete a combination; its id starts with
     * {@value dev.kingsnake.CapabilitySummary#ID_PREFIX} ({@link RuleInfo} enforces both).
     */
    public static final String CAPABILITY = "capability";
    /** A finding that alone is a strong sign of malice. */
    public static final String STRONG = "strong";
}
