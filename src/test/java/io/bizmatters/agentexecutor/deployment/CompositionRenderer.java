package io.bizmatters.agentexecutor.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a function-patch-and-transform pipeline step the way the function would, for
 * the features the agent-executor Composition uses: FromCompositeFieldPath and PatchSet
 * patches; map, string Format, string Regexp and convert-to-string transforms; Optional and
 * Required fromFieldPath; Replace and MergeObjectsAppendArrays toFieldPath. Anything else
 * throws, so the Composition cannot use a feature this renderer would silently ignore.
 */
final class CompositionRenderer {

    private final JsonNode input;
    private final Map<String, JsonNode> patchSets = new LinkedHashMap<>();

    /** @param input the pipeline step's input, a pt.fn.crossplane.io Resources object */
    CompositionRenderer(JsonNode input) {
        this.input = input;
        input.path("patchSets").forEach(set -> patchSets.put(set.path("name").asText(), set.path("patches")));
    }

    /** Resource name → rendered object, in the Composition's order. */
    Map<String, ObjectNode> render(JsonNode composite) {
        Map<String, ObjectNode> rendered = new LinkedHashMap<>();
        for (JsonNode resource : input.path("resources")) {
            ObjectNode object = resource.path("base").deepCopy();
            applyAll(resource.path("patches"), composite, object);
            rendered.put(resource.path("name").asText(), object);
        }
        return rendered;
    }

    private void applyAll(JsonNode patches, JsonNode composite, ObjectNode object) {
        for (JsonNode patch : patches) {
            switch (patch.path("type").asText("FromCompositeFieldPath")) {
                case "FromCompositeFieldPath" -> apply(patch, composite, object);
                case "PatchSet" -> {
                    JsonNode set = patchSets.get(patch.path("patchSetName").asText());
                    if (set == null) {
                        throw new IllegalArgumentException("no patchSet named " + patch.path("patchSetName"));
                    }
                    applyAll(set, composite, object);
                }
                default -> throw new UnsupportedOperationException("patch type not rendered: " + patch);
            }
        }
    }

    private static void apply(JsonNode patch, JsonNode composite, ObjectNode object) {
        String from = patch.path("fromFieldPath").asText();
        JsonNode value = FieldPath.parse(from).get(composite);
        if (value == null || value.isNull()) {
            if (patch.at("/policy/fromFieldPath").asText("Optional").equals("Required")) {
                throw new IllegalStateException("required field " + from + " missing from the composite");
            }
            return;
        }
        for (JsonNode transform : patch.path("transforms")) {
            value = transform(transform, value);
        }
        String policy = patch.at("/policy/toFieldPath").asText("Replace");
        FieldPath.parse(patch.path("toFieldPath").asText(from)).set(object, value, switch (policy) {
            case "Replace" -> false;
            case "MergeObjectsAppendArrays" -> true;
            default -> throw new UnsupportedOperationException("toFieldPath policy not rendered: " + policy);
        });
    }

    private static JsonNode transform(JsonNode transform, JsonNode value) {
        return switch (transform.path("type").asText()) {
            case "map" -> {
                JsonNode mapped = transform.path("map").get(value.asText());
                if (mapped == null) {
                    throw new IllegalStateException("map transform has no entry for '" + value.asText() + "'");
                }
                yield mapped;
            }
            case "string" -> stringTransform(transform.path("string"), value);
            case "convert" -> {
                if (!transform.at("/convert/toType").asText().equals("string")) {
                    throw new UnsupportedOperationException("convert not rendered: " + transform);
                }
                yield new TextNode(value.asText());
            }
            default -> throw new UnsupportedOperationException("transform not rendered: " + transform);
        };
    }

    private static JsonNode stringTransform(JsonNode string, JsonNode value) {
        return switch (string.path("type").asText()) {
            case "Format" -> new TextNode(String.format(string.path("fmt").asText(),
                    value.isIntegralNumber() ? (Object) value.asLong() : value.asText()));
            case "Regexp" -> {
                Matcher matcher = Pattern.compile(string.at("/regexp/match").asText()).matcher(value.asText());
                if (!matcher.find()) {
                    throw new IllegalStateException("regexp " + string.at("/regexp/match") + " does not match '" + value.asText() + "'");
                }
                yield new TextNode(matcher.group(string.at("/regexp/group").asInt(0)));
            }
            default -> throw new UnsupportedOperationException("string transform not rendered: " + string);
        };
    }

    /** A Crossplane field path: a.b[0].c, with [key] for keys that contain dots. */
    record FieldPath(List<Object> segments) {

        private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[([^\\]]+)\\]");

        static FieldPath parse(String path) {
            List<Object> segments = new ArrayList<>();
            Matcher matcher = SEGMENT.matcher(path);
            while (matcher.find()) {
                String bracketed = matcher.group(2);
                if (bracketed == null) {
                    segments.add(matcher.group(1));
                } else if (bracketed.chars().allMatch(Character::isDigit)) {
                    segments.add(Integer.parseInt(bracketed));
                } else {
                    segments.add(bracketed);
                }
            }
            return new FieldPath(segments);
        }

        JsonNode get(JsonNode root) {
            JsonNode node = root;
            for (Object segment : segments) {
                node = segment instanceof Integer index ? node.get(index) : node.get((String) segment);
                if (node == null) {
                    return null;
                }
            }
            return node;
        }

        void set(ObjectNode root, JsonNode value, boolean mergeAppending) {
            JsonNode parent = root;
            for (int i = 0; i < segments.size() - 1; i++) {
                parent = child(parent, segments.get(i), segments.get(i + 1) instanceof Integer);
            }
            Object last = segments.getLast();
            JsonNode existing = last instanceof Integer index ? parent.get(index) : parent.get((String) last);
            put(parent, last, mergeAppending && existing != null ? merge(existing, value) : value.deepCopy());
        }

        private static JsonNode child(JsonNode parent, Object segment, boolean arrayNext) {
            JsonNode existing = segment instanceof Integer index ? parent.get(index) : parent.get((String) segment);
            if (existing != null && !existing.isNull()) {
                return existing;
            }
            JsonNode created = arrayNext ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
            put(parent, segment, created);
            return created;
        }

        /** Sets a field or an array element; like the function, grows an array to the index. */
        private static void put(JsonNode parent, Object segment, JsonNode value) {
            if (segment instanceof Integer index) {
                ArrayNode array = (ArrayNode) parent;
                while (array.size() <= index) {
                    array.addNull();
                }
                array.set(index, value);
            } else {
                ((ObjectNode) parent).set((String) segment, value);
            }
        }

        /** MergeObjectsAppendArrays: arrays are appended to, the target's object keys are kept. */
        private static JsonNode merge(JsonNode existing, JsonNode value) {
            if (existing instanceof ArrayNode array && value.isArray()) {
                ArrayNode appended = array.deepCopy();
                value.forEach(item -> appended.add(item.deepCopy()));
                return appended;
            }
            if (existing instanceof ObjectNode object && value.isObject()) {
                ObjectNode merged = object.deepCopy();
                value.properties().forEach(entry -> merged.set(entry.getKey(), merged.has(entry.getKey())
                        ? merge(merged.get(entry.getKey()), entry.getValue()) : entry.getValue().deepCopy()));
                return merged;
            }
            return existing;
        }
    }
}
