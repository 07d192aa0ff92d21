/**
 * A client for Python package indexes speaking the Simple Repository API: project pages in PEP 691 JSON or
 * PEP 503 HTML (with PEP 592 yanked, PEP 658/714 core metadata, PEP 700 upload time, size and versions) read into
 * {@link dev.kingsnake.index.ProjectPage}, and files downloaded with their sha-256 checked against the index, a
 * size limit, retries on transient failures and an idle timeout. Failures are values ({@link dev.kingsnake.index.Fetch}).
 */
package dev.kingsnake.index;
