package io.bizmatters.agentexecutor.deployment;

import static io.bizmatters.agentexecutor.deployment.RenderedClaim.env;
import static io.bizmatters.agentexecutor.deployment.RenderedClaim.mainContainer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Composition rendered with the claim's values, for each size. */
class CompositionRenderTest {

    /** size → requests cpu, requests memory, limits cpu, limits memory, MAX_CONCURRENT_JOBS. */
    private static final Map<String, List<String>> SIZES = Map.of(
            "small", List.of("250m", "512Mi", "1", "1Gi", "50"),
            "medium", List.of("500m", "1Gi", "2", "2Gi", "200"),
            "large", List.of("1", "2Gi", "4", "4Gi", "500"));

    private static Map<String, ObjectNode> renderedAs(String size) {
        return RenderedClaim.renderClaim(spec -> spec.put("size", size));
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "medium", "large"})
    void rendersTheSixResources(String size) {
        assertThat(renderedAs(size)).extractingFromEntries(rendered -> rendered.getValue().path("kind").asText())
                .containsExactlyInAnyOrder("ServiceAccount", "Deployment", "PodDisruptionBudget", "Service",
                        "ScaledObject", "NetworkPolicy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "medium", "large"})
    void renderedBuiltInKindsAreValid(String size) {
        renderedAs(size).values().stream()
                .filter(object -> BuiltInKinds.isBuiltInGroup(new Manifest(Path.of("rendered"), 0, object).group()))
                .forEach(object -> assertThat(BuiltInKinds.validate(object)).as(object.path("kind").asText()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "medium", "large"})
    void renderedScaledObjectIsValid(String size) {
        Manifest scaledObject = new Manifest(Path.of(AgentExecutorApi.COMPOSITION_FILE), 0, renderedAs(size).get("scaledobject"));
        assertThat(CrdCatalog.official().validate(scaledObject)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "medium", "large"})
    void sizeDecidesResourcesAndConcurrency(String size) {
        JsonNode container = mainContainer(renderedAs(size).get("deployment"));
        List<String> expected = SIZES.get(size);
        assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo(expected.get(0));
        assertThat(container.at("/resources/requests/memory").asText()).isEqualTo(expected.get(1));
        assertThat(container.at("/resources/limits/cpu").asText()).isEqualTo(expected.get(2));
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo(expected.get(3));
        assertThat(env(container, "MAX_CONCURRENT_JOBS")).isEqualTo(expected.get(4));
    }

    @Test
    void theDeploymentLeavesReplicasToKedaAndMigratesFirst() {
        ObjectNode deployment = RenderedClaim.renderClaim().get("deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(deployment.path("spec").has("replicas")).isFalse();
        JsonNode migrate = pod.at("/initContainers/0");
        assertThat(migrate.path("command").toString()).contains("/app/scripts/ci/run-migrations.sh");
        assertThat(migrate.path("image")).isEqualTo(mainContainer(deployment).path("image"));
        assertThat(migrate.path("env").isMissingNode()).isTrue();
        assertThat(migrate.path("envFrom")).singleElement()
                .satisfies(source -> assertThat(source.at("/secretRef/name").asText()).isEqualTo("agent-executor-postgres"));
    }

    @Test
    void theApiTokenSecretIsWiredIntoTheMainContainerOnlyWhenTheClaimNamesOne() {
        JsonNode withToken = RenderedClaim.renderClaim().get("deployment").at("/spec/template/spec");
        assertThat(secretsLoadedBy(withToken.at("/containers/0"))).containsExactly(
                "agent-executor-postgres", "agent-executor-dragonfly", "agent-executor-llm-keys", "agent-executor-api-token");
        assertThat(secretsLoadedBy(withToken.at("/initContainers/0"))).containsExactly("agent-executor-postgres");

        JsonNode withoutToken = RenderedClaim.renderClaim(spec -> spec.remove("apiTokenSecret"))
                .get("deployment").at("/spec/template/spec");
        assertThat(secretsLoadedBy(withoutToken.at("/containers/0"))).containsExactly(
                "agent-executor-postgres", "agent-executor-dragonfly", "agent-executor-llm-keys");
        assertThat(secretsLoadedBy(withoutToken.at("/initContainers/0"))).containsExactly("agent-executor-postgres");
    }

    @Test
    void aDrainEvictsOnePodAtATimeAndPodsSpreadOverNodes() {
        Map<String, ObjectNode> rendered = RenderedClaim.renderClaim();
        ObjectNode deployment = rendered.get("deployment");
        Map<String, String> podLabels = strings(deployment.at("/spec/template/metadata/labels"));
        JsonNode budget = rendered.get("poddisruptionbudget").path("spec");
        assertThat(podLabels).containsAllEntriesOf(strings(budget.at("/selector/matchLabels")));
        assertThat(budget.path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(budget.has("minAvailable")).as("minAvailable would block every drain of a single replica").isFalse();
        assertThat(rendered.get("scaledobject").at("/spec/minReplicaCount").asInt())
                .as("more pods than the budget may evict at once").isGreaterThan(budget.path("maxUnavailable").asInt());

        JsonNode constraints = deployment.at("/spec/template/spec/topologySpreadConstraints");
        assertThat(constraints).anySatisfy(constraint -> {
            assertThat(constraint.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
            assertThat(constraint.path("whenUnsatisfiable").asText()).isEqualTo("DoNotSchedule");
            assertThat(constraint.path("maxSkew").asInt()).isEqualTo(1);
        });
        assertThat(constraints).allSatisfy(constraint -> {
            assertThat(podLabels).containsAllEntriesOf(strings(constraint.at("/labelSelector/matchLabels")));
            assertThat(strings(constraint.at("/labelSelector/matchLabels"))).containsKey("app.kubernetes.io/instance");
            assertThat(constraint.path("matchLabelKeys").toString()).contains("pod-template-hash");
        });
    }

    @Test
    void everyContainerRunsNonRootOnAReadOnlyRootWithAWritableTmp() {
        JsonNode pod = RenderedClaim.renderClaim().get("deployment").at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();
        for (JsonNode container : List.of(pod.at("/initContainers/0"), pod.at("/containers/0"))) {
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
            assertThat(container.at("/volumeMounts/0/name")).isEqualTo(pod.at("/volumes/0/name"));
        }
    }

    @Test
    void theStandardLabelsNameTheImageVersionAndSelectorsMatchThePods() {
        Map<String, ObjectNode> rendered = RenderedClaim.renderClaim();
        ObjectNode deployment = rendered.get("deployment");
        String image = mainContainer(deployment).path("image").asText();
        Map<String, String> podLabels = strings(deployment.at("/spec/template/metadata/labels"));
        assertThat(podLabels).contains(
                entry("app.kubernetes.io/name", "agent-executor"),
                entry("app.kubernetes.io/instance", "agent-executor"),
                entry("app.kubernetes.io/component", "agent-runtime"),
                entry("app.kubernetes.io/version", image.substring(image.lastIndexOf(':') + 1)));
        assertThat(podLabels).containsAllEntriesOf(strings(deployment.at("/spec/selector/matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(strings(rendered.get("service").at("/spec/selector")));
        assertThat(podLabels).containsAllEntriesOf(strings(rendered.get("networkpolicy").at("/spec/podSelector/matchLabels")));
        rendered.values().forEach(object -> assertThat(strings(object.at("/metadata/labels")))
                .containsKeys("app.kubernetes.io/name", "app.kubernetes.io/component", "app.kubernetes.io/version")
                .containsEntry("app.kubernetes.io/instance", "agent-executor"));
    }

    @Test
    void resourcesAreNamedServiceThenTypeInTheClaimsNamespace() {
        Map<String, ObjectNode> rendered = RenderedClaim.renderClaim();
        assertThat(rendered.get("deployment").at("/metadata/name").asText()).isEqualTo("agent-executor");
        assertThat(rendered.get("service").at("/metadata/name").asText()).isEqualTo("agent-executor");
        assertThat(rendered.get("serviceaccount").at("/metadata/name").asText()).isEqualTo("agent-executor-sa");
        assertThat(rendered.get("scaledobject").at("/metadata/name").asText()).isEqualTo("agent-executor-scaler");
        assertThat(rendered.get("networkpolicy").at("/metadata/name").asText()).isEqualTo("agent-executor-netpol");
        assertThat(rendered.get("poddisruptionbudget").at("/metadata/name").asText()).isEqualTo("agent-executor-pdb");
        assertThat(rendered.get("deployment").at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("agent-executor-sa");
        rendered.values().forEach(object ->
                assertThat(object.at("/metadata/namespace").asText()).isEqualTo("intelligence-deepagents"));
    }

    @Test
    void kedaScalesOnJetStreamLagAndScalesDownGently() {
        ObjectNode scaledObject = RenderedClaim.renderClaim().get("scaledobject");
        JsonNode trigger = scaledObject.at("/spec/triggers/0");
        assertThat(trigger.path("type").asText()).isEqualTo("nats-jetstream");
        assertThat(trigger.at("/metadata/lagThreshold").asText()).isEqualTo("5");
        assertThat(Double.parseDouble(trigger.at("/metadata/activationLagThreshold").asText())).isLessThan(1);
        assertThat(scaledObject.at("/spec/minReplicaCount").asInt()).isEqualTo(2);
        assertThat(scaledObject.at("/spec/maxReplicaCount").asInt()).isEqualTo(10);
        assertThat(scaledObject.at("/spec/scaleTargetRef/name").asText()).isEqualTo("agent-executor");
        JsonNode scaleDown = scaledObject.at("/spec/advanced/horizontalPodAutoscalerConfig/behavior/scaleDown");
        assertThat(scaleDown.path("stabilizationWindowSeconds").asInt()).isGreaterThanOrEqualTo(300);
        assertThat(scaleDown.path("policies")).allSatisfy(policy -> {
            assertThat(policy.path("type").asText()).isEqualTo("Pods");
            assertThat(policy.path("value").asInt()).isEqualTo(1);
        });
    }

    @Test
    void theClaimCanOverrideConcurrencyAndAddEnvironment() {
        ObjectNode deployment = RenderedClaim.renderClaim(spec -> {
            spec.put("maxConcurrentJobs", 42);
            spec.putArray("env").addObject().put("name", "OPENAI_BASE_URL").put("value", "http://gateway:4000/v1");
        }).get("deployment");
        JsonNode container = mainContainer(deployment);
        assertThat(env(container, "MAX_CONCURRENT_JOBS")).isEqualTo("42");
        assertThat(env(container, "OPENAI_BASE_URL")).isEqualTo("http://gateway:4000/v1");
        assertThat(env(container, "NATS_STREAM_NAME")).isEqualTo(ServiceContract.JOB_STREAM);
    }

    @Test
    void crossplaneMayManageEveryComposedKind() {
        Manifest role = Repository.find(manifest -> manifest.kind().equals("ClusterRole"), "ClusterRole");
        assertThat(role.at("/metadata/labels/rbac.crossplane.io~1aggregate-to-crossplane").asText()).isEqualTo("true");
        RenderedClaim.renderClaim().values().forEach(object -> {
            Manifest composed = new Manifest(Path.of("rendered"), 0, object);
            String kind = composed.kind().toLowerCase();
            String plural = kind.endsWith("y") ? kind.substring(0, kind.length() - 1) + "ies" : kind + "s";
            assertThat(role.at("/rules")).as(composed.kind()).anySatisfy(rule -> {
                assertThat(rule.path("apiGroups").toString()).contains("\"" + composed.group() + "\"");
                assertThat(rule.path("resources").toString()).contains("\"" + plural + "\"");
                assertThat(rule.path("verbs").toString()).contains("create", "update", "delete", "watch");
            });
        });
    }

    private static List<String> secretsLoadedBy(JsonNode container) {
        List<String> names = new ArrayList<>();
        container.path("envFrom").forEach(source -> names.add(source.at("/secretRef/name").asText()));
        return names;
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new HashMap<>();
        object.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        return values;
    }
}
