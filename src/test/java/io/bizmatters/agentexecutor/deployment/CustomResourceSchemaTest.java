package io.bizmatters.agentexecutor.deployment;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static final String OWN_API_GROUP = "platform.bizmatters.io";
    private static final String FUNCTION_FILE = "bootstrap/components/02-crossplane-functions.yaml";

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

    /**
     * Against the official CRD of its kind; a kind the official folder lacks against the schema we
     * wrote for it (only Crossplane's Function: the shared folder, see its SOURCES.md, collects the
     * CRDs of the charts and functions we install, and Crossplane's package CRDs ship inside the
     * Crossplane chart rather than as a file it lists). An unknown kind fails either way.
     */
    @ParameterizedTest
    @MethodSource("customResources")
    void validatesAgainstTheCrdOfItsKind(Manifest manifest) {
        CrdCatalog catalog = CrdCatalog.official().defines(manifest.group(), manifest.kind())
                ? CrdCatalog.official() : CrdCatalog.ours();
        assertThat(catalog.validate(manifest)).as(manifest.toString()).isEmpty();
    }

    @Test
    void ourOwnSchemasNeverStandInForAnOfficialOne() {
        assertThat(CrdCatalog.ours().kinds()).isNotEmpty()
                .allSatisfy(kind -> assertThat(CrdCatalog.official().kinds()).as("official CRD now exists; delete ours").doesNotContain(kind));
    }

    @Test
    void aFunctionWithoutItsPackageIsRejected() {
        Manifest function = edited(FUNCTION_FILE, body -> ((ObjectNode) body.path("spec")).remove("package"));
        assertThat(CrdCatalog.ours().validate(function)).anyMatch(error -> error.contains("package"));
    }

    @Test
    void aFunctionWithAnUnknownFieldIsRejected() {
        Manifest function = edited(FUNCTION_FILE, body -> ((ObjectNode) body.path("spec")).put("packagePullPolicyy", "Always"));
        assertThat(CrdCatalog.ours().validate(function)).anyMatch(error -> error.contains("packagePullPolicyy"));
    }

    @Test
    void aFunctionOfAnotherVersionIsRejected() {
        Manifest function = edited(FUNCTION_FILE, body -> body.put("apiVersion", "pkg.crossplane.io/v1beta1"));
        assertThat(CrdCatalog.ours().validate(function)).containsExactly("pkg.crossplane.io/v1beta1 is not a version of Function");
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
