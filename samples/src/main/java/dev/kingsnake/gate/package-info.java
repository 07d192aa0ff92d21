/**
 * {@code kingsnake gate}: a Simple API proxy that scans every file before a client gets it.
 *
 * <ul>
 *   <li>{@link dev.kingsnake.gate.GateServer} runs Jetty and routes requests to {@link dev.kingsnake.gate.GateHandler}
 *       (HTTP only: parsing requests, writing answers);</li>
 *   <li>{@link dev.kingsnake.gate.GatePolicy} is plain data read from a TOML file and decides, without I/O, which
 *       files are listed and which are served;</li>
 *   <li>{@link dev.kingsnake.gate.Inspections} downloads a file once, scans it once and keeps the verdict in a
 *       {@link dev.kingsnake.gate.VerdictStore} (SQLite by default, any JDBC database);</li>
 *   <li>{@link dev.kingsnake.gate.Upstreams} asks the private index before the public one;</li>
 *   <li>{@link dev.kingsnake.gate.AuditLog} and {@link dev.kingsnake.gate.GateMetrics} are the operator's view.</li>
 * </ul>
 */
package dev.kingsnake.gate;
