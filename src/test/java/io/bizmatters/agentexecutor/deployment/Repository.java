package io.bizmatters.agentexecutor.deployment;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The repository's deployment files: where they are and their parsed YAML documents. */
final class Repository {

    /** A duplicated key silently drops one of the values, so it counts as a parse error. */
    static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Repository() {
    }

    static Path root() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    static Path file(String relativePath) {
        return root().resolve(relativePath);
    }

    static String read(String relativePath) {
        try {
            return Files.readString(file(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** platform/, bootstrap/, docker-compose.test.yml and the app's own YAML resources. */
    static List<Path> yamlFiles() {
        List<Path> files = new ArrayList<>();
        files.addAll(yamlUnder("platform"));
        files.addAll(yamlUnder("bootstrap"));
        files.addAll(yamlUnder("src/main/resources"));
        files.add(file("docker-compose.test.yml"));
        return files;
    }

    /** The Kubernetes objects in platform/ and bootstrap/. */
    static List<Manifest> kubernetesManifests() {
        List<Manifest> manifests = new ArrayList<>();
        Stream.concat(yamlUnder("platform").stream(), yamlUnder("bootstrap").stream())
                .forEach(file -> manifests.addAll(parse(file)));
        return manifests;
    }

    static Manifest single(String relativePath) {
        List<Manifest> manifests = parse(file(relativePath));
        if (manifests.size() != 1) {
            throw new IllegalStateException(relativePath + " holds " + manifests.size() + " documents, expected 1");
        }
        return manifests.getFirst();
    }

    static Manifest find(Predicate<Manifest> which, String description) {
        List<Manifest> found = kubernetesManifests().stream().filter(which).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + description + ", found " + found);
        }
        return found.getFirst();
    }

    static List<Manifest> parse(Path file) {
        List<Manifest> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document instanceof ObjectNode object) {
                    manifests.add(new Manifest(root().relativize(file), index, object));
                } else if (document != null && !document.isNull() && !document.isMissingNode()) {
                    throw new IllegalStateException(file + " document " + index + " is not a mapping");
                }
                index++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
        return manifests;
    }

    /** The Kubernetes objects of the YAML files directly in {@code directory}, as a directory-type Argo CD source reads them. */
    static List<Manifest> manifestsIn(String directory) {
        try (Stream<Path> paths = Files.list(file(directory))) {
            return paths.filter(Files::isRegularFile)
                    .filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml"))
                    .sorted()
                    .flatMap(path -> parse(path).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> yamlUnder(String directory) {
        Path start = file(directory);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(start)) {
            return paths.filter(Files::isRegularFile)
                    .filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
