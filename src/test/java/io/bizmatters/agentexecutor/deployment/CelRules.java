package io.bizmatters.agentexecutor.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The x-kubernetes-validations (CEL) rules of the schemas, evaluated by hand: each rule text
 * our manifests can reach has a Java equivalent here (one rule shape is parsed, see
 * {@link #forbiddenNames}). A rule reached with no equivalent is
 * an error, so a new rule in an updated CRD cannot pass unchecked. Transition rules (those
 * reading oldSelf) only apply to updates and are skipped, as on create.
 */
final class CelRules {

    private static final Map<String, Predicate<JsonNode>> EVALUATORS = Map.ofEntries(
            // Crossplane XRD v1: claims only with scope LegacyCluster (SOURCES.md).
            Map.entry("self.scope == 'LegacyCluster' || !has(self.claimNames)",
                    self -> "LegacyCluster".equals(self.path("scope").asText()) || !self.has("claimNames")),
            Map.entry("self.scope == 'LegacyCluster' || !has(self.connectionSecretKeys)",
                    self -> "LegacyCluster".equals(self.path("scope").asText()) || !self.has("connectionSecretKeys")),
            // Crossplane XRD v2: no claims at all.
            Map.entry("!has(self.claimNames)", self -> !self.has("claimNames")),
            Map.entry("!has(self.connectionSecretKeys)", self -> !self.has("connectionSecretKeys")),
            Map.entry("self.plural == self.plural.lowerAscii()",
                    self -> isLowerAscii(self.path("plural").asText())),
            Map.entry("!has(self.singular) || self.singular == self.singular.lowerAscii()",
                    self -> !self.has("singular") || isLowerAscii(self.get("singular").asText())),
            Map.entry("self.strategy == 'Webhook' && has(self.webhook)",
                    self -> "Webhook".equals(self.path("strategy").asText()) && self.has("webhook")),
            // Crossplane Composition.
            Map.entry("self.mode == 'Pipeline' && has(self.pipeline)",
                    self -> "Pipeline".equals(self.path("mode").asText()) && self.has("pipeline")),
            Map.entry("self.source == 'Secret' && has(self.secretRef)",
                    self -> "Secret".equals(self.path("source").asText()) && self.has("secretRef")),
            Map.entry("!(has(self.name) && has(self.matchLabels))",
                    self -> !(self.has("name") && self.has("matchLabels"))),
            // KEDA ScaledObject.
            Map.entry("!has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)",
                    self -> !self.has("minReplicaCount")
                            || self.get("minReplicaCount").asLong() <= self.path("maxReplicaCount").asLong(100)),
            // ESO ClusterSecretStore, AWS provider.
            Map.entry("!('esoNamespace' in self) && !('esoStoreName' in self) && !('esoStoreKind' in self)",
                    self -> !self.has("esoNamespace") && !self.has("esoStoreName") && !self.has("esoStoreKind")),
            // Our own XRD.
            Map.entry("!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
                    self -> !self.has("minReplicas") || !self.has("maxReplicas")
                            || self.get("minReplicas").asLong() <= self.get("maxReplicas").asLong()));

    /** {@code self.all(e, !(e.name in ['A', 'B']))}: no item's name is one of the list. */
    private static final Pattern NAMES_NOT_IN = Pattern.compile("self\\.all\\((\\w+), !\\(\\1\\.name in \\[(.*)\\]\\)\\)");

    private CelRules() {
    }

    /** The names a rule of the form {@code self.all(e, !(e.name in [...]))} forbids. */
    static Set<String> forbiddenNames(String rule) {
        Matcher matcher = NAMES_NOT_IN.matcher(rule);
        if (!matcher.matches()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        Matcher quoted = Pattern.compile("'([^']*)'").matcher(matcher.group(2));
        while (quoted.find()) {
            names.add(quoted.group(1));
        }
        return names;
    }

    private static Predicate<JsonNode> evaluator(String rule) {
        Predicate<JsonNode> known = EVALUATORS.get(rule);
        if (known != null || !NAMES_NOT_IN.matcher(rule).matches()) {
            return known;
        }
        Set<String> forbidden = forbiddenNames(rule);
        return self -> {
            for (JsonNode item : self) {
                if (forbidden.contains(item.path("name").asText())) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Violations of the rules that apply to {@code instance}, as messages naming the path. */
    static List<String> check(JsonNode schema, JsonNode instance) {
        List<String> errors = new ArrayList<>();
        walk(schema, instance, "$", errors);
        return errors;
    }

    private static void walk(JsonNode schema, JsonNode instance, String path, List<String> errors) {
        if (instance == null || instance.isMissingNode() || instance.isNull()) {
            return;
        }
        for (JsonNode validation : schema.path("x-kubernetes-validations")) {
            String rule = validation.path("rule").asText();
            if (rule.contains("oldSelf")) {
                continue;
            }
            Predicate<JsonNode> evaluator = evaluator(rule);
            if (evaluator == null) {
                errors.add(path + ": CEL rule has no evaluator in CelRules, add one: " + rule);
            } else if (!evaluator.test(instance)) {
                errors.add(path + ": " + validation.path("message").asText("violates CEL rule") + " [" + rule + "]");
            }
        }
        if (instance.isObject()) {
            for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                walk(property.getValue(), instance.get(property.getKey()), path + "." + property.getKey(), errors);
            }
            JsonNode additional = schema.path("additionalProperties");
            if (additional.isObject()) {
                instance.properties().forEach(entry ->
                        walk(additional, entry.getValue(), path + "." + entry.getKey(), errors));
            }
        } else if (instance.isArray() && schema.has("items")) {
            for (int i = 0; i < instance.size(); i++) {
                walk(schema.get("items"), instance.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static boolean isLowerAscii(String text) {
        return text.equals(text.toLowerCase(Locale.ROOT));
    }
}
