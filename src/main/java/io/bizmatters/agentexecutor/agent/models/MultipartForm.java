package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.http.client.FormDataFile;
import dev.langchain4j.http.client.HttpRequest;

import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A request's form data as a {@code multipart/form-data} body (RFC 7578). langchain4j's callers
 * set the Content-Type header with their own boundary, so the body uses the boundary declared
 * there and makes one up only when none is.
 */
final class MultipartForm {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final String CRLF = "\r\n";

    private final String boundary;
    private final List<byte[]> parts = new ArrayList<>();

    MultipartForm(HttpRequest request) {
        boundary = declaredBoundary(request).orElse("agent-executor-" + UUID.randomUUID());
        request.formDataFields().forEach((name, value) ->
                parts.add((partHeader(name, "") + CRLF + value + CRLF).getBytes(UTF_8)));
        for (Map.Entry<String, FormDataFile> entry : request.formDataFiles().entrySet()) {
            FormDataFile file = entry.getValue();
            String header = partHeader(entry.getKey(), "; filename=\"" + file.fileName() + "\"")
                    + "Content-Type: " + file.contentType() + CRLF + CRLF;
            parts.add(header.getBytes(UTF_8));
            parts.add(file.content());
            parts.add(CRLF.getBytes(UTF_8));
        }
        parts.add(("--" + boundary + "--" + CRLF).getBytes(UTF_8));
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    BodyPublisher body() {
        return BodyPublishers.ofByteArrays(parts);
    }

    private String partHeader(String name, String fileNameParameter) {
        return "--" + boundary + CRLF + "Content-Disposition: form-data; name=\"" + name + "\"" + fileNameParameter + CRLF;
    }

    private static Optional<String> declaredBoundary(HttpRequest request) {
        return request.headers().entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase("Content-Type") && header.getValue() != null)
                .flatMap(header -> header.getValue().stream())
                .map(BOUNDARY::matcher)
                .filter(Matcher::find)
                .map(matcher -> matcher.group(1))
                .findFirst();
    }
}
