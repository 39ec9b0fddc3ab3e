package io.bizmatters.agentexecutor.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The claim against our own XRD's schema. */
class ClaimTest {

    private final AgentExecutorApi api = new AgentExecutorApi();

    @Test
    void theClaimIsValid() {
        assertThat(api.validateClaim(Repository.single(AgentExecutorApi.CLAIM_FILE))).isEmpty();
    }

    @Test
    void everyExampleClaimIsValidAndRendersThroughTheComposition() {
        List<Manifest> examples = Repository.manifestsIn(AgentExecutorApi.EXAMPLES_DIR);
        assertThat(examples).isNotEmpty();
        for (Manifest example : examples) {
            assertThat(api.validateClaim(example)).as(example.toString()).isEmpty();
            Map<String, ObjectNode> rendered = new CompositionRenderer(RenderedClaim.patchAndTransformInput())
                    .render(api.compositeOf(example));
            assertThat(RenderedClaim.mainContainer(rendered.get("deployment")).path("image").asText())
                    .as(example.toString()).isEqualTo(example.at("/spec/image").asText());
        }
    }

    @Test
    void theClaimLivesInTheIntelligenceDeepagentsNamespace() {
        assertThat(Repository.single(AgentExecutorApi.CLAIM_FILE).namespace()).isEqualTo("intelligence-deepagents");
    }

    @Test
    void anUnknownSizeIsRejected() {
        assertThat(api.validateClaim(claimWith(spec -> spec.put("size", "huge")))).singleElement().asString().contains("size");
    }

    @Test
    void anUnknownFieldIsRejected() {
        assertThat(api.validateClaim(claimWith(spec -> spec.put("replicas", 3)))).singleElement().asString().contains("replicas");
    }

    @Test
    void anImageWithoutATagIsRejected() {
        assertThat(api.validateClaim(claimWith(spec -> spec.put("image", "ghcr.io/bizmatters/agent-executor"))))
                .singleElement().asString().contains("image");
    }

    @Test
    void aMissingSecretReferenceIsRejected() {
        assertThat(api.validateClaim(claimWith(spec -> spec.remove("llmKeysSecret"))))
                .singleElement().asString().contains("llmKeysSecret");
    }

    @Test
    void minimumAboveMaximumReplicasIsRejected() {
        assertThat(api.validateClaim(claimWith(spec -> spec.put("minReplicas", 5).put("maxReplicas", 2))))
                .singleElement().asString().contains("minReplicas must not exceed maxReplicas");
    }

    @Test
    void extraEnvironmentMayNotOverrideWhatThePlatformSets() {
        assertThat(api.validateClaim(claimWith(spec -> spec.putArray("env").addObject()
                .put("name", "NATS_STREAM_NAME").put("value", "OTHER"))))
                .singleElement().asString().contains("env may not set a variable the platform sets");
    }

    @Test
    void theApiTokenIsOptional() {
        assertThat(api.validateClaim(claimWith(spec -> spec.remove("apiTokenSecret")))).isEmpty();
        assertThat(api.validateClaim(claimWith(spec -> spec.put("apiTokenSecret", ""))))
                .singleElement().asString().contains("apiTokenSecret");
    }

    @Test
    void extraEnvironmentMayNotCarryASecretInClear() {
        for (String secret : ServiceContract.SECRET_ENVIRONMENT) {
            assertThat(api.validateClaim(claimWith(spec -> spec.putArray("env").addObject()
                    .put("name", secret).put("value", "in-git-in-clear"))))
                    .as(secret).singleElement().asString().contains("a secret (use the secrets above)");
        }
    }

    private static Manifest claimWith(Consumer<ObjectNode> edit) {
        Manifest claim = Repository.single(AgentExecutorApi.CLAIM_FILE);
        edit.accept((ObjectNode) claim.body().path("spec"));
        return claim;
    }
}
