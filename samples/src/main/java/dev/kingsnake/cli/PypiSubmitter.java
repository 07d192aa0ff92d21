package dev.kingsnake.cli;

import dev.kingsnake.report.PypiObservation;
import dev.kingsnake.report.PypiReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Sends malware observations to PyPI's observation API: {@code POST <api>/danger-api/projects/<name>/observations}
 * with the API token as a bearer token and the media type {@value PypiObservation#MEDIA_TYPE}. A report without
 * an inspector URL is not sent (PyPI rejects malware observations without one); PyPI answers 202 when it takes one.
 */
final class PypiSubmitter {
    /** The environment variable holding the PyPI API token (never a command-line option: it would show in ps). */
    static final String TOKEN_VARIABLE = "PYPI_API_TOKEN";

    private final URI api;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    PypiSubmitter(URI api, String token) {
        this.api = api;
        this.token = token;
    }

    /** Sends each report; returns how many were not accepted (skipped or refused). */
    int submit(List<PypiReport> reports, PrintWriter err) throws InterruptedException {
        int failed = 0;
        for (PypiReport report : reports) {
            String project = report.project() + " " + report.version();
            if (!report.observation().submittable()) {
                err.println("kingsnake: not submitted: " + project + ": no inspector URL ("
                        + report.inspectorUrlOmitted().orElse("") + ")");
                failed++;
                continue;
            }
            URI target = api.resolve(PypiObservation.path(report.project()));
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", PypiObservation.MEDIA_TYPE)
                    .header("Accept", PypiObservation.MEDIA_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofString(report.observation().toJson().toString()))
                    .build();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202 || response.statusCode() == 200) {
                    err.println("kingsnake: submitted: " + project + " (HTTP " + response.statusCode() + ")");
                } else {
                    String body = response.body();
                    err.println("kingsnake: refused: " + project + ": HTTP " + response.statusCode() + " "
                            + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
                    failed++;
                }
            } catch (IOException e) {
                err.println("kingsnake: cannot submit " + project + " to " + target + ": " + KingsnakeCommand.message(e));
                failed++;
            }
        }
        return failed;
    }
}
