package io.bizmatters.agentexecutor.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NATS chart's values of each profile: keys the official chart declares, valid Kubernetes where
 * they add to the pod template, one server in development, a 3-node cluster with one server per
 * node in production, and production changing nothing development sets.
 */
class NatsProfileTest {

    private static final String NATS_CHART_DEFAULTS = "src/test/resources/charts/nats-%s-values.yaml";

    static List<Profile> profiles() {
        return Profile.all();
    }

    /** The chart has no values schema; a key it does not declare would be ignored without a word. */
    @ParameterizedTest
    @MethodSource("profiles")
    void theNatsValuesAreKeysTheOfficialChartDeclares(Profile profile) {
        String version = profile.nats().at("/spec/source/targetRevision").asText();
        JsonNode defaults = Repository.parse(Repository.file(NATS_CHART_DEFAULTS.formatted(version))).getFirst().body();
        List<String> undeclared = new ArrayList<>();
        collectUndeclared(profile.natsValues(), defaults, "", undeclared);
        assertThat(undeclared).as(profile + ": keys the nats chart " + version + " does not declare").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void theNatsPodTemplateAdditionsAreValidKubernetes(Profile profile) {
        JsonNode podTemplate = profile.natsValues().path("podTemplate");
        if (podTemplate.has("merge")) {
            assertThat(BuiltInKinds.validateAs(podTemplate.get("merge"), PodTemplateSpec.class, "podTemplate.merge")).isEmpty();
        }
        podTemplate.path("topologySpreadConstraints").properties().forEach(entry -> {
            ObjectNode constraint = entry.getValue().deepCopy();
            constraint.put("topologyKey", entry.getKey());
            assertThat(BuiltInKinds.validateAs(constraint, TopologySpreadConstraint.class, "podTemplate.topologySpreadConstraints"))
                    .isEmpty();
        });
    }

    @Test
    void developmentRunsOneNatsServer() {
        Profile development = Profile.named("development");
        assertThat(development.natsValues().at("/config/cluster/enabled").asBoolean(false)).isFalse();
        assertThat(development.natsValues().has("podTemplate")).isFalse();
    }

    @Test
    void productionRunsAThreeNodeJetStreamClusterWithOneServerPerNode() {
        Profile production = Profile.named("production");
        JsonNode values = production.natsValues();
        assertThat(values.at("/config/cluster/enabled").asBoolean()).isTrue();
        assertThat(values.at("/config/cluster/replicas").asInt()).isEqualTo(3);
        JsonNode antiAffinity = values.at("/podTemplate/merge/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution");
        String release = production.nats().at("/spec/source/helm/releaseName").asText();
        assertThat(antiAffinity).singleElement().satisfies(term -> {
            assertThat(term.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
            // The chart's nats.selectorLabels: the pods of this release's StatefulSet and no other.
            assertThat(CompositionRenderTest.strings(term.at("/labelSelector/matchLabels"))).isEqualTo(Map.of(
                    "app.kubernetes.io/name", "nats",
                    "app.kubernetes.io/instance", release,
                    "app.kubernetes.io/component", "nats"));
        });
    }

    @Test
    void productionAddsToDevelopmentsNatsValuesAndChangesNothingElse() {
        Manifest development = Profile.named("development").nats();
        Manifest production = Profile.named("production").nats();
        ObjectNode developmentApp = development.body().deepCopy();
        ObjectNode productionApp = production.body().deepCopy();
        ((ObjectNode) developmentApp.at("/spec/source/helm")).remove("valuesObject");
        ((ObjectNode) productionApp.at("/spec/source/helm")).remove("valuesObject");
        assertThat(productionApp).isEqualTo(developmentApp);
        List<String> changed = new ArrayList<>();
        collectChanged(Profile.named("development").natsValues(), Profile.named("production").natsValues(), "", changed);
        assertThat(changed).as("development values production changes or drops").isEmpty();
    }

    /** Keys of {@code values} the chart's defaults lack; below a default of {} (merge, env, ...) anything goes. */
    private static void collectUndeclared(JsonNode values, JsonNode defaults, String path, List<String> undeclared) {
        values.properties().forEach(entry -> {
            String key = path + "." + entry.getKey();
            JsonNode declared = defaults.get(entry.getKey());
            if (declared == null) {
                undeclared.add(key);
            } else if (declared.isObject() && !declared.isEmpty()) {
                if (entry.getValue().isObject()) {
                    collectUndeclared(entry.getValue(), declared, key, undeclared);
                } else {
                    undeclared.add(key + " (the chart expects a map)");
                }
            }
        });
    }

    /** Leaves of {@code base} that {@code changed} lacks or holds with another value. */
    private static void collectChanged(JsonNode base, JsonNode changed, String path, List<String> differences) {
        base.properties().forEach(entry -> {
            String key = path + "." + entry.getKey();
            JsonNode other = changed.get(entry.getKey());
            if (entry.getValue().isObject() && other != null && other.isObject()) {
                collectChanged(entry.getValue(), other, key, differences);
            } else if (!entry.getValue().equals(other)) {
                differences.add(key);
            }
        });
    }
}
