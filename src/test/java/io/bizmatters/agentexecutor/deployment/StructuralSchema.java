package io.bizmatters.agentexecutor.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CRD's openAPIV3Schema, checked the way an API server with strict field validation
 * checks an object: defaults applied first, then the schema with every object closed
 * unless it says x-kubernetes-preserve-unknown-fields (the server would prune or reject
 * an unknown field), then the CEL rules (see {@link CelRules}).
 *
 * <p>The schema keywords themselves are checked by a JSON-schema validator, after a
 * translation of the Kubernetes dialect (nullable, int-or-string, embedded resources).
 * Root metadata is left to the Kubernetes model library, as the API server does.
 */
final class StructuralSchema {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    private static final Set<String> COPIED_KEYWORDS = Set.of(
            "type", "enum", "required", "pattern", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems",
            "multipleOf", "minProperties", "maxProperties");

    private final JsonNode kubernetesSchema;
    private final Schema jsonSchema;

    StructuralSchema(JsonNode openApiV3Schema) {
        this.kubernetesSchema = openApiV3Schema;
        ObjectNode translated = translate(openApiV3Schema, true);
        // metadata is validated as ObjectMeta by BuiltInKinds, not by the CRD's schema.
        ((ObjectNode) translated.withObjectProperty("properties")).set("metadata", NODES.objectNode().put("type", "object"));
        this.jsonSchema = REGISTRY.getSchema(translated);
    }

    /** Errors for {@code object}, after defaulting it in place. Empty when valid. */
    List<String> validate(ObjectNode object) {
        applyDefaults(kubernetesSchema, object);
        List<String> errors = new ArrayList<>();
        for (Error error : jsonSchema.validate(object)) {
            errors.add(error.toString());
        }
        errors.addAll(CelRules.check(kubernetesSchema, object));
        if (object.has("metadata")) {
            errors.addAll(BuiltInKinds.objectMetaErrors(object.get("metadata")));
        }
        return errors;
    }

    /** Sets every missing property that has a default, where its parent object exists. */
    static void applyDefaults(JsonNode schema, JsonNode instance) {
        if (instance instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                JsonNode propertySchema = property.getValue();
                if (!object.has(property.getKey()) && propertySchema.has("default")) {
                    object.set(property.getKey(), propertySchema.get("default").deepCopy());
                }
                if (object.has(property.getKey())) {
                    applyDefaults(propertySchema, object.get(property.getKey()));
                }
            }
            JsonNode additional = schema.path("additionalProperties");
            if (additional.isObject()) {
                object.forEach(value -> applyDefaults(additional, value));
            }
        } else if (instance instanceof ArrayNode array && schema.has("items")) {
            array.forEach(item -> applyDefaults(schema.get("items"), item));
        }
    }

    /**
     * @param closed whether objects without additionalProperties reject unknown fields;
     *     false inside allOf/anyOf/oneOf/not, whose branches only add constraints to the
     *     fields the enclosing schema declares (a structural-schema rule)
     */
    private static ObjectNode translate(JsonNode source, boolean closed) {
        ObjectNode target = NODES.objectNode();
        for (String keyword : COPIED_KEYWORDS) {
            if (source.has(keyword)) {
                target.set(keyword, source.get(keyword).deepCopy());
            }
        }
        if (source.path("nullable").asBoolean(false) && target.has("type")) {
            target.set("type", NODES.arrayNode().add(target.get("type").asText()).add("null"));
        }
        if (source.path("x-kubernetes-int-or-string").asBoolean(false)) {
            target.remove("type");
            target.set("anyOf", NODES.arrayNode()
                    .add(NODES.objectNode().put("type", "integer"))
                    .add(NODES.objectNode().put("type", "string")));
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            if (source.has(combinator) && !source.path("x-kubernetes-int-or-string").asBoolean(false)) {
                ArrayNode translatedBranches = target.putArray(combinator);
                source.get(combinator).forEach(branch -> translatedBranches.add(translate(branch, false)));
            }
        }
        if (source.has("not")) {
            target.set("not", translate(source.get("not"), false));
        }
        if (source.has("items")) {
            target.set("items", translate(source.get("items"), closed));
        }
        if (source.has("properties")) {
            ObjectNode properties = target.putObject("properties");
            for (Map.Entry<String, JsonNode> property : source.get("properties").properties()) {
                properties.set(property.getKey(), translate(property.getValue(), closed));
            }
        }
        boolean embedded = source.path("x-kubernetes-embedded-resource").asBoolean(false);
        if (embedded) {
            ObjectNode properties = target.withObjectProperty("properties");
            properties.putIfAbsent("apiVersion", NODES.objectNode().put("type", "string"));
            properties.putIfAbsent("kind", NODES.objectNode().put("type", "string"));
            properties.putIfAbsent("metadata", NODES.objectNode().put("type", "object"));
        }
        JsonNode additional = source.get("additionalProperties");
        if (additional != null) {
            target.set("additionalProperties", additional.isBoolean() ? additional : translate(additional, closed));
        } else if (closed && isObject(source) && !source.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            // Absent additionalProperties and no preserve-unknown-fields: the server prunes
            // unknown fields, and strict field validation rejects them.
            target.put("additionalProperties", false);
        }
        return target;
    }

    private static boolean isObject(JsonNode schema) {
        return "object".equals(schema.path("type").asText()) || schema.has("properties");
    }
}
