package io.bizmatters.agentexecutor.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Our own Crossplane API (the XRD), as the schema claims are checked against. */
final class AgentExecutorApi {

    static final String XRD_FILE = "platform/04-apis/definitions/xagentexecutors.yaml";
    static final String CLAIM_FILE = "platform/03-intelligence/agent-executor-claim.yaml";
    static final String COMPOSITION_FILE = "platform/04-apis/compositions/agent-executor-composition.yaml";
    /** Claims that show the API, laid out as upbound's platform-ref repositories keep them; never synced. */
    static final String EXAMPLES_DIR = "platform/04-apis/examples";

    /** Fields Crossplane adds to every claim's spec, beside those the XRD declares. */
    private static final List<String> CROSSPLANE_CLAIM_FIELDS = List.of(
            "compositionRef", "compositionSelector", "compositionRevisionRef", "compositionRevisionSelector",
            "compositionUpdatePolicy", "compositeDeletePolicy", "resourceRef", "writeConnectionSecretToRef",
            "publishConnectionDetailsTo");

    private final Manifest xrd = Repository.single(XRD_FILE);

    String group() {
        return xrd.at("/spec/group").asText();
    }

    String compositeKind() {
        return xrd.at("/spec/names/kind").asText();
    }

    String claimKind() {
        return xrd.at("/spec/claimNames/kind").asText();
    }

    /** The version compositions reference. */
    String referenceableVersion() {
        for (JsonNode version : xrd.at("/spec/versions")) {
            if (version.path("referenceable").asBoolean(false)) {
                return version.path("name").asText();
            }
        }
        throw new AssertionError("the XRD has no referenceable version");
    }

    /** Errors of a claim against the XRD, with the claim defaulted in place. */
    List<String> validateClaim(Manifest claim) {
        if (!claim.apiVersion().equals(group() + "/" + referenceableVersion()) || !claim.kind().equals(claimKind())) {
            return List.of(claim + " is not a " + group() + "/" + referenceableVersion() + " " + claimKind());
        }
        return new StructuralSchema(claimSchema()).validate(claim.body());
    }

    /**
     * The composite resource Crossplane makes of a claim (scope LegacyCluster): the claim's
     * defaulted spec plus a reference back to the claim, which the Composition reads.
     */
    ObjectNode compositeOf(Manifest claim) {
        List<String> errors = validateClaim(claim);
        if (!errors.isEmpty()) {
            throw new AssertionError("invalid claim " + claim + ": " + errors);
        }
        ObjectNode composite = JsonNodeFactory.instance.objectNode();
        composite.put("apiVersion", claim.apiVersion());
        composite.put("kind", compositeKind());
        composite.putObject("metadata").put("name", claim.name() + "-x7k2p");
        ObjectNode spec = claim.body().path("spec").deepCopy();
        composite.set("spec", spec);
        spec.putObject("claimRef")
                .put("apiVersion", claim.apiVersion())
                .put("kind", claim.kind())
                .put("name", claim.name())
                .put("namespace", claim.namespace());
        return composite;
    }

    private ObjectNode claimSchema() {
        JsonNode version = null;
        for (JsonNode candidate : xrd.at("/spec/versions")) {
            if (candidate.path("name").asText().equals(referenceableVersion())) {
                version = candidate;
            }
        }
        ObjectNode schema = version.at("/schema/openAPIV3Schema").deepCopy();
        ObjectNode properties = schema.withObjectProperty("properties");
        properties.putObject("apiVersion").put("type", "string");
        properties.putObject("kind").put("type", "string");
        properties.putObject("metadata").put("type", "object");
        ObjectNode specProperties = properties.withObjectProperty("spec").withObjectProperty("properties");
        for (String field : CROSSPLANE_CLAIM_FIELDS) {
            specProperties.putObject(field).put("x-kubernetes-preserve-unknown-fields", true);
        }
        return schema;
    }
}
