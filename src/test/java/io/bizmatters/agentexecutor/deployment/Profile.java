package io.bizmatters.agentexecutor.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A deployment profile (docs/deployment.md, "Profiles"): a root Application applied by hand and
 * what it syncs, the shared bootstrap/components/ plus one folder of bootstrap/profiles/.
 */
record Profile(String name, Manifest root, List<String> sourcePaths, List<Manifest> manifests) {

    static final String COMPONENTS = "bootstrap/components";
    static final String PROFILES = "bootstrap/profiles";
    static final String STREAMS_CONFIG_MAP = "agent-executor-jetstream-streams";
    static final String CONSUMER_CONFIG_MAP = "agent-executor-jetstream";

    /** One per root Application file bootstrap/root-application*.yaml. */
    static List<Profile> all() {
        try (Stream<Path> files = Files.list(Repository.file("bootstrap"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("root-application") && name.endsWith(".yaml"))
                    .sorted()
                    .map(name -> of(Repository.single("bootstrap/" + name)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Profile named(String name) {
        return all().stream().filter(profile -> profile.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no root Application syncs " + PROFILES + "/" + name));
    }

    private static Profile of(Manifest root) {
        List<String> paths = new ArrayList<>();
        root.at("/spec/sources").forEach(source -> paths.add(source.path("path").asText()));
        List<String> profilePaths = paths.stream().filter(path -> path.startsWith(PROFILES + "/")).toList();
        if (profilePaths.size() != 1) {
            throw new AssertionError(root + " must sync exactly one folder of " + PROFILES + ", syncs " + paths);
        }
        List<Manifest> manifests = new ArrayList<>();
        paths.forEach(path -> manifests.addAll(Repository.manifestsIn(path)));
        String profilePath = profilePaths.getFirst();
        return new Profile(profilePath.substring(profilePath.lastIndexOf('/') + 1), root, List.copyOf(paths), manifests);
    }

    Manifest single(Predicate<Manifest> which, String description) {
        List<Manifest> found = manifests.stream().filter(which).toList();
        if (found.size() != 1) {
            throw new AssertionError(name + ": expected exactly one " + description + ", found " + found);
        }
        return found.getFirst();
    }

    Manifest named(String kind, String objectName) {
        return single(manifest -> manifest.kind().equals(kind) && manifest.name().equals(objectName), kind + " " + objectName);
    }

    Manifest nats() {
        return named("Application", "nats");
    }

    JsonNode natsValues() {
        return nats().at("/spec/source/helm/valuesObject");
    }

    /** File name → JetStream API JSON, as the setup Job sees /definitions: the profile's streams and the shared consumer. */
    Map<String, JsonNode> jetStreamDefinitions() {
        Map<String, JsonNode> definitions = new HashMap<>();
        for (String configMap : List.of(STREAMS_CONFIG_MAP, CONSUMER_CONFIG_MAP)) {
            named("ConfigMap", configMap).at("/data").properties().forEach(entry -> {
                try {
                    if (definitions.put(entry.getKey(), JsonMapper.builder().build().readTree(entry.getValue().asText())) != null) {
                        throw new AssertionError(name + ": " + entry.getKey() + " is defined twice");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("ConfigMap " + configMap + " key " + entry.getKey() + " is not JSON", e);
                }
            });
        }
        return definitions;
    }

    /** kind/name → Argo CD sync wave of every object the profile's root syncs. */
    Map<String, Integer> syncWaves() {
        Map<String, Integer> waves = new HashMap<>();
        manifests.forEach(manifest -> waves.put(manifest.kind() + "/" + manifest.name(), manifest.syncWave()));
        return waves;
    }

    @Override
    public String toString() {
        return name;
    }
}
