package io.bizmatters.agentexecutor.deployment;

import static io.bizmatters.agentexecutor.deployment.RenderedClaim.env;
import static io.bizmatters.agentexecutor.deployment.RenderedClaim.mainContainer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.checkpoint.RetentionPolicy;
import io.bizmatters.agentexecutor.config.MissingSettings;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.Settings;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Names and numbers that several files must agree on, with each other and with the service:
 * secrets and environment variables, ports and probe paths, drain times, and the order Argo CD
 * applies the platform layers in (the image: ImageContractTest; NATS, the streams and the
 * bootstrap waves of each profile: ProfilesTest).
 */
class CrossFileConsistencyTest {

    private final Map<String, ObjectNode> rendered = RenderedClaim.renderClaim();
    private final ObjectNode deployment = rendered.get("deployment");
    private final JsonNode container = mainContainer(deployment);
    private final Manifest claim = Repository.single(AgentExecutorApi.CLAIM_FILE);
    private final List<Manifest> externalSecrets = Repository.kubernetesManifests().stream()
            .filter(manifest -> manifest.kind().equals("ExternalSecret")).toList();

    @Test
    void everyEnvironmentVariableIsOneTheServiceReads() {
        Set<String> provided = environmentOf(container).keySet();
        assertThat(ServiceContract.ENVIRONMENT).containsAll(provided);
        assertThat(provided).containsAll(ServiceContract.REQUIRED_ENVIRONMENT);
        assertThat(ServiceContract.ENVIRONMENT).containsAll(ServiceContract.SECRET_ENVIRONMENT);
        container.path("env").forEach(variable ->
                assertThat(ServiceContract.SECRET_ENVIRONMENT).doesNotContain(variable.path("name").asText()));
    }

    @Test
    void theServiceStartsWithTheDeploymentsEnvironmentAndItsValues() {
        Settings settings = Settings.fromEnvironment(environmentOf(container));
        assertThat(settings.natsStreamName()).isEqualTo(ServiceContract.JOB_STREAM);
        assertThat(settings.natsConsumerGroup()).isEqualTo(ServiceContract.CONSUMER);
        assertThat(settings.httpPort()).isEqualTo(ServiceContract.PORT);
    }

    @Test
    void theServiceRefusesToStartWhenARequiredVariableIsMissing() {
        for (String required : ServiceContract.REQUIRED_ENVIRONMENT) {
            Map<String, String> environment = new HashMap<>(environmentOf(container));
            environment.remove(required);
            assertThatThrownBy(() -> Settings.fromEnvironment(environment)).as(required)
                    .isInstanceOf(MissingSettings.class).hasMessageContaining(required);
        }
    }

    @Test
    void theMigrationContainerGetsWhatTheMigrateCommandReadsAndNothingElse() {
        JsonNode migrate = deployment.at("/spec/template/spec/initContainers/0");
        Map<String, String> environment = environmentOf(migrate);
        assertThat(environment.keySet()).containsAll(ServiceContract.REQUIRED_FOR_MIGRATIONS);
        assertThat(ServiceContract.MIGRATION_ENVIRONMENT).as("least privilege: only what migrate reads")
                .containsAll(environment.keySet());
        assertThat(environment.keySet()).doesNotContainAnyElementsOf(
                secretKeysOf(claim.at("/spec/dragonflyConnectionSecret").asText()))
                .doesNotContainAnyElementsOf(secretKeysOf(claim.at("/spec/llmKeysSecret").asText()))
                .doesNotContainAnyElementsOf(secretKeysOf(claim.at("/spec/apiTokenSecret").asText()));
        assertThat(PostgresSettings.fromEnvironment(environment).host()).isNotEmpty();
    }

    @Test
    void noManifestLetsJobsRunOnTheOfflineModel() {
        JsonNode migrate = deployment.at("/spec/template/spec/initContainers/0");
        assertThat(ServiceContract.ENVIRONMENT).contains(ServiceContract.OFFLINE_MODEL_SWITCH);
        assertThat(environmentOf(container)).doesNotContainKey(ServiceContract.OFFLINE_MODEL_SWITCH);
        assertThat(environmentOf(migrate)).doesNotContainKey(ServiceContract.OFFLINE_MODEL_SWITCH);
        assertThat(Repository.read(AgentExecutorApi.COMPOSITION_FILE)).doesNotContain(ServiceContract.OFFLINE_MODEL_SWITCH);
        assertThat(CelRules.forbiddenNames(claimEnvironmentRule())).contains(ServiceContract.OFFLINE_MODEL_SWITCH);

        // Without any provider key, a production pod fails such jobs loudly instead of faking an answer.
        Map<String, String> withoutKeys = new HashMap<>(environmentOf(container));
        withoutKeys.keySet().removeAll(secretKeysOf(claim.at("/spec/llmKeysSecret").asText()));
        assertThat(Settings.fromEnvironment(withoutKeys).engine().models().offlineModelActive()).isFalse();
    }

    @Test
    void theClaimsExtraEnvironmentCannotOverrideWhatThePlatformSetsNorHoldASecret() {
        Set<String> fixed = new HashSet<>();
        container.path("env").forEach(variable -> fixed.add(variable.path("name").asText()));
        fixed.add(ServiceContract.OFFLINE_MODEL_SWITCH);
        // A secret in the claim's env would sit in Git in clear and override its Secret.
        fixed.addAll(ServiceContract.SECRET_ENVIRONMENT);
        assertThat(CelRules.forbiddenNames(claimEnvironmentRule())).isEqualTo(fixed);
    }

    @Test
    void theClaimsCheckpointRetentionDefaultsAreTheServices() {
        JsonNode spec = Repository.single(AgentExecutorApi.XRD_FILE)
                .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");
        RetentionPolicy defaults = ServiceContract.DEFAULTS.checkpointRetention();
        assertThat(spec.at("/checkpointRetention/default").asText()).isEqualTo(defaults.keepLast() ? "last" : "none");
        assertThat(spec.at("/checkpointRetentionDays/default").asInt()).isEqualTo(defaults.idleDays());
        RetentionPolicy deployed = Settings.fromEnvironment(environmentOf(container)).checkpointRetention();
        assertThat(deployed.idleDays()).isEqualTo(claim.at("/spec/checkpointRetentionDays").asInt());
    }

    @Test
    void theClaimsSecretsAreExactlyThoseTheExternalSecretsProduceInItsNamespace() {
        Set<String> referenced = Set.of(
                claim.at("/spec/postgresConnectionSecret").asText(),
                claim.at("/spec/dragonflyConnectionSecret").asText(),
                claim.at("/spec/llmKeysSecret").asText(),
                claim.at("/spec/apiTokenSecret").asText());
        Set<String> produced = new HashSet<>();
        for (Manifest externalSecret : externalSecrets) {
            assertThat(externalSecret.namespace()).isEqualTo(claim.namespace());
            produced.add(externalSecret.at("/spec/target/name").asText());
        }
        assertThat(produced).isEqualTo(referenced);
        Set<String> loaded = new HashSet<>();
        container.path("envFrom").forEach(source -> loaded.add(source.at("/secretRef/name").asText()));
        assertThat(loaded).isEqualTo(referenced);
    }

    @Test
    void theExternalSecretsReadTheClusterStoreWithKeysNamedAfterTheVariables() {
        Manifest store = Repository.find(manifest -> manifest.kind().equals("ClusterSecretStore"), "ClusterSecretStore");
        assertThat(store.name()).isEqualTo("aws-parameter-store");
        assertThat(store.at("/spec/provider/aws/service").asText()).isEqualTo("ParameterStore");
        for (Manifest externalSecret : externalSecrets) {
            assertThat(externalSecret.at("/spec/secretStoreRef/kind").asText()).isEqualTo("ClusterSecretStore");
            assertThat(externalSecret.at("/spec/secretStoreRef/name").asText()).isEqualTo(store.name());
            for (JsonNode data : externalSecret.at("/spec/data")) {
                String key = data.path("secretKey").asText();
                assertThat(ServiceContract.ENVIRONMENT).as(externalSecret.toString()).contains(key);
                assertThat(data.at("/remoteRef/key").asText()).endsWith("/" + key);
            }
        }
    }

    @Test
    void aStoppingPodFinishesItsDrainBeforeKubernetesKillsIt() {
        JsonNode pod = deployment.at("/spec/template/spec");
        Settings settings = Settings.fromEnvironment(environmentOf(container));
        assertThat(env(container, "SHUTDOWN_GRACE_SECONDS")).as("set explicitly, next to the grace period it must fit in")
                .isEqualTo(String.valueOf(settings.shutdownGrace().toSeconds()));
        long preStop = container.at("/lifecycle/preStop/sleep/seconds").asLong();
        assertThat(pod.path("terminationGracePeriodSeconds").asLong())
                .isGreaterThan(preStop + settings.shutdownTimeout().toSeconds());
        assertThat(settings.shutdownGrace()).as("a drain longer than the default 25 s, since a job's model call may take minutes")
                .isGreaterThan(ServiceContract.DEFAULTS.shutdownGrace());
    }

    @Test
    void theDeploymentGuideStatesTheNumbersTheManifestsAndTheServiceUse() {
        Map<String, String> documented = documentedSettings();
        Settings settings = Settings.fromEnvironment(environmentOf(container));
        assertThat(documented).containsEntry("ack_wait", ServiceContract.ACK_WAIT.toSeconds() + " s")
                .containsEntry("max_deliver", String.valueOf(ServiceContract.MAX_DELIVER))
                .containsEntry("max_ack_pending", String.valueOf(ServiceContract.MAX_ACK_PENDING))
                .containsEntry("SHUTDOWN_GRACE_SECONDS", settings.shutdownGrace().toSeconds() + " s")
                .containsEntry("terminationGracePeriodSeconds",
                        deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asText() + " s");
    }

    @Test
    void portsAndProbePathsAreTheServicesEverywhere() {
        JsonNode port = container.at("/ports/0");
        String portName = port.path("name").asText();
        assertThat(port.path("containerPort").asInt()).isEqualTo(ServiceContract.PORT);
        assertThat(env(container, "PORT")).isEqualTo(String.valueOf(ServiceContract.PORT));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo(portName);
        }
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo(ServiceContract.HEALTH_PATH);
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo(ServiceContract.READY_PATH);
        JsonNode podAnnotations = deployment.at("/spec/template/metadata/annotations");
        assertThat(podAnnotations.path("prometheus.io/path").asText()).isEqualTo(ServiceContract.METRICS_PATH);
        assertThat(podAnnotations.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(ServiceContract.PORT));
        JsonNode servicePort = rendered.get("service").at("/spec/ports/0");
        assertThat(servicePort.path("targetPort").asText()).isEqualTo(portName);
        assertThat(rendered.get("networkpolicy").at("/spec/ingress/0/ports/0/port").asInt()).isEqualTo(ServiceContract.PORT);
        String dockerfile = Repository.read("Dockerfile");
        assertThat(dockerfile).containsPattern("(?m)^EXPOSE " + ServiceContract.PORT + "$");
        assertThat(dockerfile).contains("PORT=" + ServiceContract.PORT);
    }

    @Test
    void theComposeEnvironmentIsTheContracts() {
        JsonNode services = Repository.parse(Repository.file("docker-compose.test.yml")).getFirst().body().path("services");
        assertThat(services.at("/dragonfly/image").asText()).contains("dragonfly");
        assertThat(services.at("/dragonfly/ports").toString()).contains("\"16380:6379\"");
        assertThat(services.at("/postgres/image").asText()).startsWith("postgres:15");
        assertThat(services.at("/postgres/ports").toString()).contains("\"15433:5432\"");
        assertThat(services.at("/postgres/environment/POSTGRES_USER").asText()).isEqualTo("test_user");
        assertThat(services.at("/postgres/environment/POSTGRES_PASSWORD").asText()).isEqualTo("test_pass");
        assertThat(services.at("/postgres/environment/POSTGRES_DB").asText()).isEqualTo("test_db");
        assertThat(services.at("/nats/ports").toString()).contains("\"14222:4222\"");
        assertThat(services.at("/nats/command").toString()).contains("\"-js\"");
    }

    @Test
    void platformLayersSyncEachThingAfterWhatItNeeds() {
        // The bootstrap waves depend on the profile: ProfilesTest.
        int apis = Repository.single("platform/04-apis.yaml").syncWave();
        int intelligence = Repository.single("platform/03-intelligence.yaml").syncWave();
        assertThat(intelligence).isGreaterThan(apis);
        assertThat(Repository.single("platform/05-observability.yaml").syncWave())
                .as("its objects live in the namespaces 03-intelligence creates").isGreaterThan(intelligence);
        int namespace = Repository.single("platform/03-intelligence/namespace-intelligence-deepagents.yaml").syncWave();
        externalSecrets.forEach(externalSecret -> {
            assertThat(externalSecret.syncWave()).isGreaterThan(namespace);
            assertThat(claim.syncWave()).isGreaterThan(externalSecret.syncWave());
        });
    }

    @Test
    void theApisLayerSyncsTheApiButNotItsExamples() {
        Manifest apis = Repository.single("platform/04-apis.yaml");
        String path = apis.at("/spec/source/path").asText();
        assertThat(AgentExecutorApi.XRD_FILE).startsWith(path + "/");
        assertThat(AgentExecutorApi.COMPOSITION_FILE).startsWith(path + "/");
        assertThat(apis.at("/spec/source/directory/recurse").asBoolean()).isTrue();
        // Argo CD matches the glob against paths relative to the source path.
        String examples = AgentExecutorApi.EXAMPLES_DIR.substring(path.length() + 1);
        assertThat(apis.at("/spec/source/directory/exclude").asText()).isEqualTo(examples + "/*");
        assertThat(Repository.manifestsIn(AgentExecutorApi.EXAMPLES_DIR)).isNotEmpty()
                .allSatisfy(example -> assertThat(example.kind()).isEqualTo(claim.kind()));
    }

    @Test
    void everyArgoCdApplicationSyncsAutomaticallyWithPruneSelfHealAndRetry() {
        List<Manifest> applications = Repository.kubernetesManifests().stream()
                .filter(manifest -> manifest.kind().equals("Application")).toList();
        assertThat(applications).hasSizeGreaterThanOrEqualTo(8);
        for (Manifest application : applications) {
            JsonNode policy = application.at("/spec/syncPolicy");
            assertThat(policy.at("/automated/prune").asBoolean()).as(application.toString()).isTrue();
            assertThat(policy.at("/automated/selfHeal").asBoolean()).as(application.toString()).isTrue();
            assertThat(policy.at("/retry/limit").asInt()).as(application.toString()).isPositive();
            String destination = application.at("/spec/destination/namespace").asText("argocd");
            if (!destination.equals("argocd")) {
                assertThat(policy.path("syncOptions").toString()).as(application.toString()).contains("CreateNamespace=true");
            }
        }
    }

    @Test
    void theNamespaceFollowsTheLayerCategoryConvention() {
        Manifest namespace = Repository.single("platform/03-intelligence/namespace-intelligence-deepagents.yaml");
        assertThat(namespace.name()).isEqualTo(claim.namespace())
                .isEqualTo(namespace.at("/metadata/labels/layer").asText() + "-" + namespace.at("/metadata/labels/category").asText());
    }

    /**
     * A container's environment as the service would see it: its env values, and every key of the
     * Secrets it loads, with a placeholder value (the real ones live in SSM).
     */
    private Map<String, String> environmentOf(JsonNode someContainer) {
        Map<String, String> environment = new HashMap<>();
        for (JsonNode source : someContainer.path("envFrom")) {
            environment.putAll(ServiceContract.placeholdersFor(secretKeysOf(source.at("/secretRef/name").asText())));
        }
        someContainer.path("env").forEach(variable ->
                environment.put(variable.path("name").asText(), variable.path("value").asText()));
        return environment;
    }

    private static String claimEnvironmentRule() {
        return Repository.single(AgentExecutorApi.XRD_FILE)
                .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/env/x-kubernetes-validations/0/rule")
                .asText();
    }

    /** The rows of docs/deployment.md's table of drain and redelivery settings: | `name` | value | */
    private static Map<String, String> documentedSettings() {
        Map<String, String> rows = new HashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z_]+)` \\| ([^|]+?) \\|").matcher(Repository.read("docs/deployment.md"));
        while (row.find()) {
            rows.put(row.group(1), row.group(2));
        }
        return rows;
    }

    private Set<String> secretKeysOf(String secretName) {
        Set<String> keys = new HashSet<>();
        externalSecrets.stream()
                .filter(externalSecret -> externalSecret.at("/spec/target/name").asText().equals(secretName))
                .forEach(externalSecret -> externalSecret.at("/spec/data").forEach(data -> keys.add(data.path("secretKey").asText())));
        assertThat(keys).as("keys of Secret " + secretName).isNotEmpty();
        return keys;
    }
}
