package io.bizmatters.agentexecutor.deployment;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The official CustomResourceDefinitions the manifests are validated against, read from a
 * folder (see ../shared/crds/SOURCES.md). The folder is a setting: system property
 * {@value #SETTING}, else environment variable CRDS_DIR, else {@value #DEFAULT_FOLDER}
 * relative to the repository root, together with {@value #VENDORED_FOLDER}. Without the shared
 * folder the schema tests fail under CI=true and are skipped elsewhere.
 */
final class CrdCatalog {

    static final String SETTING = "crds.dir";
    static final String DEFAULT_FOLDER = "../shared/crds";

    static final String OWN_FOLDER = "src/test/resources/crds";

    /** Official CRDs the shared folder lacks, kept byte-exact with the tests (its SOURCES.md says which). */
    static final String VENDORED_FOLDER = "src/test/resources/official-crds";

    private static CrdCatalog official;
    private static CrdCatalog ours;

    /** group/kind → the CRD document. */
    private final Map<String, JsonNode> definitions = new HashMap<>();
    private final Map<String, StructuralSchema> schemas = new ConcurrentHashMap<>();

    private final List<Path> sources;

    private CrdCatalog(List<Path> folders) {
        this.sources = folders;
        for (Path folder : folders) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                        .flatMap(file -> Repository.parse(file).stream())
                        .filter(document -> document.kind().equals("CustomResourceDefinition"))
                        .forEach(this::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void add(Manifest crd) {
        String key = key(crd.at("/spec/group").asText(), crd.at("/spec/names/kind").asText());
        if (definitions.put(key, crd.body()) != null) {
            throw new IllegalStateException(key + " is defined twice in " + sources + "; keep one copy");
        }
    }

    /**
     * The CRDs we write ourselves for kinds the official folder lacks, from the Crossplane docs
     * (src/test/resources/crds; each file says why). Never used for a kind the official folder defines.
     */
    static synchronized CrdCatalog ours() {
        if (ours == null) {
            ours = new CrdCatalog(List.of(Repository.root().resolve(OWN_FOLDER)));
        }
        return ours;
    }

    static synchronized CrdCatalog official() {
        if (official == null) {
            Path folder = folder();
            if (!Files.isDirectory(folder)) {
                String message = "CRD schema folder " + folder + " not found; set -D" + SETTING + "=<folder> or CRDS_DIR";
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    fail(message);
                }
                assumeTrue(false, message);
            }
            official = new CrdCatalog(List.of(folder, Repository.root().resolve(VENDORED_FOLDER)));
        }
        return official;
    }

    static Path folder() {
        String configured = System.getProperty(SETTING, System.getenv().getOrDefault("CRDS_DIR", DEFAULT_FOLDER));
        return Repository.root().resolve(configured).normalize();
    }

    boolean defines(String group, String kind) {
        return definitions.containsKey(key(group, kind));
    }

    /** group/kind of every CRD in the catalog. */
    Set<String> kinds() {
        return Set.copyOf(definitions.keySet());
    }

    /** Schema errors of the manifest; an unknown kind or an unserved version is an error too. */
    List<String> validate(Manifest manifest) {
        JsonNode crd = definitions.get(key(manifest.group(), manifest.kind()));
        if (crd == null) {
            return List.of("no CRD for " + manifest.apiVersion() + " " + manifest.kind() + " in " + sources);
        }
        JsonNode version = null;
        for (JsonNode candidate : crd.at("/spec/versions")) {
            if (candidate.path("name").asText().equals(manifest.version())) {
                version = candidate;
            }
        }
        if (version == null) {
            return List.of(manifest.apiVersion() + " is not a version of " + manifest.kind());
        }
        if (!version.path("served").asBoolean(false)) {
            return List.of(manifest.apiVersion() + " " + manifest.kind() + " is not served");
        }
        JsonNode openApi = version.at("/schema/openAPIV3Schema");
        StructuralSchema schema = schemas.computeIfAbsent(manifest.apiVersion() + "/" + manifest.kind(),
                ignored -> new StructuralSchema(openApi));
        return schema.validate(manifest.body().deepCopy());
    }

    private static String key(String group, String kind) {
        return group + "/" + kind;
    }
}
