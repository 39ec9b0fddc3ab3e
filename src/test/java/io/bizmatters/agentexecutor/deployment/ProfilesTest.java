package io.bizmatters.agentexecutor.deployment;

import static io.bizmatters.agentexecutor.deployment.RenderedClaim.env;
import static io.bizmatters.agentexecutor.deployment.RenderedClaim.mainContainer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.ingress.jetstream.JetStreamTopology;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deployment profiles (docs/deployment.md, "Profiles"): what each root Application syncs, that
 * all of it is valid, its sync waves, and the stream definitions, which differ between development
 * and production only in their replica count (the NATS values: NatsProfileTest).
 */
class ProfilesTest {

    private static final String JOB_STREAM_FILE = "stream." + ServiceContract.JOB_STREAM + ".json";
    private static final String RESULT_STREAM_FILE = "stream." + ServiceContract.RESULT_STREAM + ".json";
    private static final String CONSUMER_FILE = "consumer." + ServiceContract.JOB_STREAM + "." + ServiceContract.CONSUMER + ".json";

    private final Map<String, ObjectNode> rendered = RenderedClaim.renderClaim();

    static List<Profile> profiles() {
        return Profile.all();
    }

    @Test
    void thereAreADevelopmentAndAProductionProfileAndEveryProfileFolderHasARoot() throws IOException {
        assertThat(profiles()).extracting(Profile::name).containsExactlyInAnyOrder("development", "production");
        try (Stream<Path> folders = Files.list(Repository.file(Profile.PROFILES))) {
            assertThat(folders.map(folder -> folder.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(profiles().stream().map(Profile::name).toList());
        }
    }

    @Test
    void theRootsDifferOnlyInTheProfileFolderTheySync() {
        ObjectNode development = Profile.named("development").root().body().deepCopy();
        ObjectNode production = Profile.named("production").root().body().deepCopy();
        ((ObjectNode) production.at("/spec/sources/1")).put("path", Profile.PROFILES + "/development");
        assertThat(production).isEqualTo(development);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void aRootSyncsTheSharedComponentsAndItsProfileFromThisRepository(Profile profile) {
        assertThat(profile.sourcePaths()).containsExactly(Profile.COMPONENTS, Profile.PROFILES + "/" + profile.name());
        String repository = profile.named("Application", "platform-layers").at("/spec/source/repoURL").asText();
        profile.root().at("/spec/sources").forEach(source -> {
            assertThat(source.path("repoURL").asText()).isEqualTo(repository);
            assertThat(source.path("targetRevision").asText()).isEqualTo("main");
            assertThat(source.has("directory")).as("a plain folder, not recursed").isFalse();
        });
        assertThat(profile.root().at("/spec/source").isMissingNode()).isTrue();
    }

    /** Both profiles against the CRD schemas and the Kubernetes model, as CustomResourceSchemaTest does every file. */
    @ParameterizedTest
    @MethodSource("profiles")
    void everyObjectOfTheProfileIsValid(Profile profile) {
        assertThat(profile.manifests()).hasSizeGreaterThan(8);
        for (Manifest manifest : profile.manifests()) {
            Manifest copy = new Manifest(manifest.file(), manifest.documentIndex(), manifest.body().deepCopy());
            CrdCatalog catalog = CrdCatalog.official().defines(copy.group(), copy.kind()) ? CrdCatalog.official() : CrdCatalog.ours();
            List<String> errors = BuiltInKinds.isBuiltInGroup(copy.group()) ? BuiltInKinds.validate(copy.body()) : catalog.validate(copy);
            assertThat(errors).as(profile + ": " + manifest).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void syncWavesApplyEachThingAfterWhatItNeeds(Profile profile) {
        Map<String, Integer> waves = profile.syncWaves();
        int foundation = Stream.of("external-secrets", "nats", "keda", "crossplane")
                .mapToInt(name -> waves.get("Application/" + name)).max().orElseThrow();
        assertThat(waves.get("ClusterSecretStore/aws-parameter-store")).isGreaterThan(foundation);
        assertThat(waves.get("Function/function-patch-and-transform")).isGreaterThan(foundation);
        int job = waves.get("Job/agent-executor-jetstream-setup");
        assertThat(job).isGreaterThan(waves.get("Application/nats"))
                .isGreaterThanOrEqualTo(waves.get("ConfigMap/" + Profile.STREAMS_CONFIG_MAP))
                .isGreaterThanOrEqualTo(waves.get("ConfigMap/" + Profile.CONSUMER_CONFIG_MAP));
        // The ScaledObject comes from the claim, which the platform layers sync.
        assertThat(waves.get("Application/platform-layers")).isGreaterThan(job)
                .isGreaterThan(waves.get("ClusterSecretStore/aws-parameter-store"))
                .isGreaterThan(waves.get("Function/function-patch-and-transform"));
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void theSetupJobReadsTheProfilesStreamsAndTheSharedConsumer(Profile profile) {
        Manifest job = profile.named("Job", "agent-executor-jetstream-setup");
        assertThat(job.file().toString()).startsWith(Profile.COMPONENTS);
        List<String> mounted = new ArrayList<>();
        job.at("/spec/template/spec/volumes").forEach(volume ->
                volume.at("/projected/sources").forEach(source -> mounted.add(source.at("/configMap/name").asText())));
        assertThat(mounted).containsExactlyInAnyOrder(Profile.STREAMS_CONFIG_MAP, Profile.CONSUMER_CONFIG_MAP);
        assertThat(profile.named("ConfigMap", Profile.STREAMS_CONFIG_MAP).file().toString())
                .startsWith(Profile.PROFILES + "/" + profile.name());
        assertThat(profile.jetStreamDefinitions()).containsOnlyKeys(JOB_STREAM_FILE, RESULT_STREAM_FILE, CONSUMER_FILE);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void streamAndConsumerNamesAgreeAcrossDeploymentScalerAndSetupJob(Profile profile) {
        JsonNode container = mainContainer(rendered.get("deployment"));
        JsonNode trigger = rendered.get("scaledobject").at("/spec/triggers/0/metadata");
        assertThat(env(container, "NATS_STREAM_NAME")).isEqualTo(ServiceContract.JOB_STREAM);
        assertThat(env(container, "NATS_CONSUMER_GROUP")).isEqualTo(ServiceContract.CONSUMER);
        assertThat(trigger.path("stream").asText()).isEqualTo(ServiceContract.JOB_STREAM);
        assertThat(trigger.path("consumer").asText()).isEqualTo(ServiceContract.CONSUMER);
        assertThat(profile.jetStreamDefinitions().get(CONSUMER_FILE).path("durable_name").asText()).isEqualTo(ServiceContract.CONSUMER);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void theSetupJobCreatesTheStreamsAndConsumerTheContractDescribes(Profile profile) {
        Map<String, JsonNode> definitions = profile.jetStreamDefinitions();
        assertStream(definitions.get(JOB_STREAM_FILE),
                JetStreamTopology.stream(ServiceContract.JOB_STREAM, ServiceContract.JOB_SUBJECTS));
        assertStream(definitions.get(RESULT_STREAM_FILE),
                JetStreamTopology.resultStream(ServiceContract.RESULT_STREAM, ServiceContract.RESULT_SUBJECTS));
        JsonNode consumer = definitions.get(CONSUMER_FILE);
        assertThat(consumer.path("ack_policy").asText()).isEqualTo("explicit");
        assertThat(consumer.path("filter_subject").asText()).isEqualTo(ServiceContract.JOB_SUBJECTS);
        // The service's own definition: it compares an existing consumer with it and warns on differences.
        ConsumerConfiguration workers = JetStreamTopology.workers(ServiceContract.CONSUMER, ServiceContract.JOB_SUBJECTS);
        assertThat(consumer.path("ack_wait").asLong()).isEqualTo(workers.getAckWait().toNanos());
        assertThat(consumer.path("max_deliver").asLong()).isEqualTo(workers.getMaxDeliver());
        assertThat(consumer.path("max_ack_pending").asLong()).isEqualTo(workers.getMaxAckPending());
        assertThat(consumer.path("filter_subject").asText()).isEqualTo(workers.getFilterSubject());
        assertThat(consumer.has("deliver_subject")).as("a pull consumer has no deliver subject").isFalse();
        assertThat(consumer.path("num_replicas").asInt(0)).as("0 or unset: the consumer inherits its stream's replicas").isZero();
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void streamsHaveAReplicaOnEveryNatsServer(Profile profile) {
        JsonNode cluster = profile.natsValues().at("/config/cluster");
        int servers = cluster.path("enabled").asBoolean(false) ? cluster.path("replicas").asInt() : 1;
        for (String stream : List.of(JOB_STREAM_FILE, RESULT_STREAM_FILE)) {
            assertThat(profile.jetStreamDefinitions().get(stream).path("num_replicas").asInt()).as(profile + " " + stream)
                    .isEqualTo(servers);
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void natsAddressesReachTheNatsChartsPortsThroughTheNetworkPolicy(Profile profile) {
        Manifest nats = profile.nats();
        JsonNode values = profile.natsValues();
        assertThat(values.at("/config/jetstream/enabled").asBoolean()).isTrue();
        assertThat(values.at("/config/jetstream/fileStore/enabled").asBoolean()).isTrue();
        assertThat(values.at("/service/ports/monitor/enabled").asBoolean()).isTrue();
        assertThat(values.at("/promExporter/enabled").asBoolean()).as("the lag alert reads the exporter").isTrue();
        String namespace = nats.at("/spec/destination/namespace").asText();
        assertThat(namespace).isEqualTo("nats");

        URI natsUrl = URI.create(env(mainContainer(rendered.get("deployment")), "NATS_URL"));
        assertThat(natsUrl.getHost()).isEqualTo("nats." + namespace + ".svc");
        // KEDA asks a NATS cluster's consumer leader as <server name>.<endpoint host>: the pod's name
        // under the StatefulSet's headless Service (the chart's <release>-headless) is what resolves.
        String monitoring = rendered.get("scaledobject").at("/spec/triggers/0/metadata/natsServerMonitoringEndpoint").asText();
        String headless = nats.at("/spec/source/helm/releaseName").asText() + "-headless";
        assertThat(monitoring).isEqualTo(headless + "." + namespace + ".svc.cluster.local:" + values.at("/config/monitor/port").asInt());
        assertThat(Repository.single(AgentExecutorApi.XRD_FILE)
                .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/natsMonitoringEndpoint/default").asText())
                .isEqualTo(monitoring);
        Manifest job = profile.named("Job", "agent-executor-jetstream-setup");
        assertThat(env(job.at("/spec/template/spec/containers/0"), "NATS_URL")).isEqualTo(natsUrl.toString());

        assertThat(rendered.get("networkpolicy").at("/spec/egress")).anySatisfy(rule -> {
            assertThat(rule.at("/to/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText()).isEqualTo(namespace);
            assertThat(rule.at("/ports/0/port").asInt()).isEqualTo(natsUrl.getPort());
        });
    }

    @Test
    void theProfilesStreamsDifferOnlyInTheirReplicaCount() {
        Map<String, JsonNode> development = Profile.named("development").jetStreamDefinitions();
        Map<String, JsonNode> production = Profile.named("production").jetStreamDefinitions();
        for (String file : development.keySet()) {
            ObjectNode developmentDefinition = development.get(file).deepCopy();
            ObjectNode productionDefinition = production.get(file).deepCopy();
            developmentDefinition.remove("num_replicas");
            productionDefinition.remove("num_replicas");
            assertThat(productionDefinition).as(file).isEqualTo(developmentDefinition);
        }
    }

    /** The Job's definition agrees with the one the service creates (and compares a live stream with). */
    private static void assertStream(JsonNode stream, StreamConfiguration service) {
        assertThat(stream.path("name").asText()).isEqualTo(service.getName());
        assertThat(stream.path("subjects").toString()).isEqualTo("[\"" + service.getSubjects().getFirst() + "\"]");
        assertThat(stream.path("duplicate_window").asLong()).isEqualTo(service.getDuplicateWindow().toNanos());
        assertThat(stream.path("retention").asText()).isEqualTo("limits");
        assertThat(stream.path("max_age").asLong()).isEqualTo(ServiceContract.STREAM_MAX_AGE.toNanos());
        assertThat(stream.path("storage").asText()).isEqualTo("file");
        assertThat(stream.path("discard").asText()).isEqualTo("old");
    }

}
