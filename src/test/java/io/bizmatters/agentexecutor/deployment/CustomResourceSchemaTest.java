package io.bizmatters.agentexecutor.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every custom resource against the official CRD of its kind, strictly (see StructuralSchema). */
class CustomResourceSchemaTest {

    /** Kinds whose CRD the schema folder does not carry, with the reason. */
    private static final Map<String, String> KINDS_WITHOUT_OFFICIAL_CRD = Map.of(
            "pkg.crossplane.io/Function", "Crossplane package CRDs are not in the schema folder (SOURCES.md)");

    private static final String OWN_API_GROUP = "platform.bizmatters.io";

    static List<Manifest> customResources() {
        List<Manifest> resources = new ArrayList<>();
        for (Manifest manifest : Repository.kubernetesManifests()) {
            if (BuiltInKinds.isBuiltInGroup(manifest.group()) || manifest.group().equals(OWN_API_GROUP)) {
                continue;
            }
            resources.add(manifest);
            if (manifest.kind().equals("Composition")) {
                manifest.at("/spec/pipeline").forEach(step -> resources.add(
                        new Manifest(manifest.file(), manifest.documentIndex(), (ObjectNode) step.path("input"))));
            }
        }
        return resources;
    }

    @ParameterizedTest
    @MethodSource("customResources")
    void validatesAgainstItsOfficialCrd(Manifest manifest) {
        String reason = KINDS_WITHOUT_OFFICIAL_CRD.get(manifest.group() + "/" + manifest.kind());
        assumeFalse(reason != null, reason);
        assertThat(CrdCatalog.official().validate(manifest)).as(manifest.toString()).isEmpty();
    }

    // The validator must catch real defects; each case below breaks a real manifest once.

    @Test
    void anXrdOfferingClaimsOutsideLegacyClusterScopeIsRejected() {
        Manifest xrd = edited(AgentExecutorApi.XRD_FILE, body -> ((ObjectNode) body.path("spec")).put("scope", "Namespaced"));
        assertThat(CrdCatalog.official().validate(xrd)).anyMatch(error -> error.contains("claimNames"));
    }

    @Test
    void aV2XrdWithClaimsIsRejected() {
        Manifest xrd = edited(AgentExecutorApi.XRD_FILE, body -> {
            body.put("apiVersion", "apiextensions.crossplane.io/v2");
            ((ObjectNode) body.path("spec")).remove("scope");
        });
        assertThat(CrdCatalog.official().validate(xrd)).anyMatch(error -> error.contains("claimNames"));
    }

    @Test
    void anUnknownFieldIsRejected() {
        Manifest secret = edited("platform/03-intelligence/external-secrets/agent-executor-postgres-es.yaml",
                body -> ((ObjectNode) body.path("spec").path("target")).put("nmae", "typo"));
        assertThat(CrdCatalog.official().validate(secret)).anyMatch(error -> error.contains("nmae"));
    }

    @Test
    void anUnservedVersionIsRejected() {
        Manifest secret = edited("platform/03-intelligence/external-secrets/agent-executor-postgres-es.yaml",
                body -> body.put("apiVersion", "external-secrets.io/v1beta1"));
        assertThat(CrdCatalog.official().validate(secret)).containsExactly("external-secrets.io/v1beta1 ExternalSecret is not served");
    }

    @Test
    void aCompositionOutsidePipelineModeIsRejected() {
        Manifest composition = edited(AgentExecutorApi.COMPOSITION_FILE,
                body -> ((ObjectNode) body.path("spec")).put("mode", "Resources"));
        assertThat(CrdCatalog.official().validate(composition)).isNotEmpty();
    }

    @Test
    void aWrongEnumValueInAFunctionInputIsRejected() {
        ObjectNode input = RenderedClaim.patchAndTransformInput().deepCopy();
        ((ObjectNode) input.at("/resources/0/patches/1")).put("type", "FromCompositeFieldPat");
        Manifest manifest = new Manifest(Path.of(AgentExecutorApi.COMPOSITION_FILE), 0, input);
        assertThat(CrdCatalog.official().validate(manifest)).anyMatch(error -> error.contains("FromCompositeFieldPat"));
    }

    private static Manifest edited(String file, Consumer<ObjectNode> edit) {
        Manifest manifest = Repository.single(file);
        edit.accept(manifest.body());
        return manifest;
    }
}
