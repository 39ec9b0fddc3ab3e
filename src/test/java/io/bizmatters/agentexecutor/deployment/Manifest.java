package io.bizmatters.agentexecutor.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/** One YAML document of the repository, with where it came from for error messages. */
record Manifest(Path file, int documentIndex, ObjectNode body) {

    String apiVersion() {
        return body.path("apiVersion").asText("");
    }

    String kind() {
        return body.path("kind").asText("");
    }

    /** API group, "" for the core group. */
    String group() {
        String apiVersion = apiVersion();
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    String version() {
        String apiVersion = apiVersion();
        return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }

    String name() {
        return body.path("metadata").path("name").asText("");
    }

    String namespace() {
        return body.path("metadata").path("namespace").asText("");
    }

    JsonNode at(String jsonPointer) {
        return body.at(jsonPointer);
    }

    /** Argo CD's sync wave; 0 when unset, as Argo CD reads it. */
    int syncWave() {
        return Integer.parseInt(at("/metadata/annotations/argocd.argoproj.io~1sync-wave").asText("0"));
    }

    @Override
    public String toString() {
        return kind() + " " + name() + " (" + file + " document " + documentIndex + ")";
    }
}
