package dev.kingsnake.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kingsnake.Verdict;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Verdicts by sha-256 and rules version, in a JDBC database: by default one SQLite file, which survives restarts;
 * a server database's URL (PostgreSQL, MySQL, ...; its driver on the class path) lets several gates share them.
 * A new rules version re-scans, since its key differs. Thread-safe.
 */
public final class VerdictStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ScanRecord.Evidence>> EVIDENCE = new TypeReference<>() {
    };

    private final Connection connection;

    private VerdictStore(Connection connection) {
        this.connection = connection;
    }

    /** Opens (and creates when needed) the store at a JDBC URL, e.g. {@code jdbc:sqlite:/var/lib/kingsnake/verdicts.db}. */
    public static VerdictStore open(String jdbcUrl) throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl);
        try (Statement s = c.createStatement()) {
            if (jdbcUrl.startsWith("jdbc:sqlite:")) {
                // readers do not wait for the single writer; a crash loses at most the last verdict
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA busy_timeout=5000");
            }
            s.execute("CREATE TABLE IF NOT EXISTS verdicts ("
                    + "sha256 VARCHAR(64) NOT NULL, rules_version VARCHAR(200) NOT NULL, verdict VARCHAR(16) NOT NULL, "
                    + "score DOUBLE PRECISION NOT NULL, partial_scan INTEGER NOT NULL, evidence TEXT NOT NULL, "
                    + "scanned_at BIGINT NOT NULL, scan_millis BIGINT NOT NULL, "
                    + "PRIMARY KEY (sha256, rules_version))");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new VerdictStore(c);
    }

    /** The verdict of this file under these rules, if it was scanned before. */
    public synchronized Optional<ScanRecord> find(String sha256, String rulesVersion) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT verdict, score, partial_scan, evidence, "
                + "scanned_at, scan_millis FROM verdicts WHERE sha256 = ? AND rules_version = ?")) {
            q.setString(1, sha256);
            q.setString(2, rulesVersion);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ScanRecord(sha256, rulesVersion, Verdict.valueOf(rs.getString(1)),
                        rs.getDouble(2), rs.getInt(3) != 0, JSON.readValue(rs.getString(4), EVIDENCE),
                        Instant.ofEpochMilli(rs.getLong(5)), rs.getLong(6)));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // a row this version cannot read is as good as none: the file is scanned again
                return Optional.empty();
            }
        }
    }

    /** Keeps a verdict, replacing an earlier one for the same file and rules. */
    public synchronized void save(ScanRecord r) throws SQLException {
        String evidence;
        try {
            evidence = JSON.writeValueAsString(r.evidence());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("evidence is plain strings and numbers", e);
        }
        try (PreparedStatement d = connection.prepareStatement(
                "DELETE FROM verdicts WHERE sha256 = ? AND rules_version = ?");
             PreparedStatement i = connection.prepareStatement("INSERT INTO verdicts (sha256, rules_version, verdict, "
                     + "score, partial_scan, evidence, scanned_at, scan_millis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            d.setString(1, r.sha256());
            d.setString(2, r.rulesVersion());
            d.executeUpdate();
            i.setString(1, r.sha256());
            i.setString(2, r.rulesVersion());
            i.setString(3, r.verdict().name());
            i.setDouble(4, r.score());
            i.setInt(5, r.partial() ? 1 : 0);
            i.setString(6, evidence);
            i.setLong(7, r.scannedAt().toEpochMilli());
            i.setLong(8, r.scanMillis());
            i.executeUpdate();
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}
