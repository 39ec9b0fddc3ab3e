package io.bizmatters.agentexecutor.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Consumer;

/** The repository's claim rendered through the repository's Composition. */
final class RenderedClaim {

    private RenderedClaim() {
    }

    static Map<String, ObjectNode> renderClaim() {
        return renderClaim(spec -> { });
    }

    /** @param claimEdit changes to the claim's spec before rendering, e.g. another size */
    static Map<String, ObjectNode> renderClaim(Consumer<ObjectNode> claimEdit) {
        Manifest claim = Repository.single(AgentExecutorApi.CLAIM_FILE);
        claimEdit.accept((ObjectNode) claim.body().path("spec"));
        ObjectNode composite = new AgentExecutorApi().compositeOf(claim);
        return new CompositionRenderer(patchAndTransformInput()).render(composite);
    }

    static JsonNode patchAndTransformInput() {
        Manifest composition = Repository.single(AgentExecutorApi.COMPOSITION_FILE);
        for (JsonNode step : composition.at("/spec/pipeline")) {
            if (step.at("/functionRef/name").asText().equals("function-patch-and-transform")) {
                return step.path("input");
            }
        }
        throw new AssertionError("the Composition has no function-patch-and-transform step");
    }

    static JsonNode mainContainer(ObjectNode deployment) {
        return deployment.at("/spec/template/spec/containers/0");
    }

    static String env(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(name)) {
                return variable.path("value").asText();
            }
        }
        throw new AssertionError(container.path("name").asText() + " sets no " + name);
    }
}
