package dev.kingsnake.index;

import java.util.List;
import java.util.Objects;

/**
 * A project's page of an index.
 *
 * @param name       the project's name as the index gives it (PEP 691 {@code name}; the requested name for HTML)
 * @param apiVersion the Simple API version the page declares ({@code 1.0} when it declares none)
 * @param versions   the project's versions (PEP 700), empty when the page does not list them
 * @param files      the files, in the index's order
 */
public record ProjectPage(String name, String apiVersion, List<String> versions, List<DistributionFile> files) {

    public ProjectPage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apiVersion, "apiVersion");
        versions = List.copyOf(versions);
        files = List.copyOf(files);
    }

    /** The files whose file name carries this version (see {@link DistributionFile#version(String)}). */
    public List<DistributionFile> files(String version) {
        return files.stream().filter(f -> f.version(name).filter(version::equals).isPresent()).toList();
    }

    /** The file with this file name, if listed. */
    public java.util.Optional<DistributionFile> file(String filename) {
        return files.stream().filter(f -> f.filename().equals(filename)).findFirst();
    }

    /** This page with other files (the versions list is kept). */
    public ProjectPage withFiles(List<DistributionFile> kept) {
        return new ProjectPage(name, apiVersion, versions, kept);
    }
}
