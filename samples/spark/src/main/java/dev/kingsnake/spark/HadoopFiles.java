package dev.kingsnake.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads archive locations through Hadoop's filesystem API (local, {@code file:}, HDFS, S3A, ...) on
 * executors. Hadoop's {@link Configuration} is not serializable, so its entries travel as a map and the
 * configuration is rebuilt once per executor JVM.
 */
public final class HadoopFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> settings;
    private transient Configuration configuration;

    public HadoopFiles(Configuration driverConfiguration) {
        this.settings = new HashMap<>();
        driverConfiguration.forEach(e -> settings.put(e.getKey(), e.getValue()));
    }

    private synchronized Configuration configuration() {
        if (configuration == null) {
            Configuration c = new Configuration(false);
            for (Map.Entry<String, String> e : settings.entrySet()) {
                c.set(e.getKey(), e.getValue());
            }
            configuration = c;
        }
        return configuration;
    }

    /** Opens a location; a path without scheme resolves against the default filesystem, as Hadoop does. */
    public InputStream open(String location) throws IOException {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(configuration());
        return fs.open(path);
    }

    /** The length of a regular file. */
    public long size(String location) throws IOException {
        Path path = new Path(location);
        FileStatus status = path.getFileSystem(configuration()).getFileStatus(path);
        if (!status.isFile()) {
            throw new IOException(location + " is not a regular file");
        }
        return status.getLen();
    }

    /** True when something exists at the location. */
    public boolean exists(String location) throws IOException {
        Path path = new Path(location);
        return path.getFileSystem(configuration()).exists(path);
    }

    /** Writes a small text file (the run summary), replacing what was there. */
    public void write(String location, byte[] content) throws IOException {
        Path path = new Path(location);
        try (var out = path.getFileSystem(configuration()).create(path, true)) {
            out.write(content);
        }
    }
}
