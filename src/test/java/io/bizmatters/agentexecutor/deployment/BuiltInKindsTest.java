package io.bizmatters.agentexecutor.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in Kubernetes object through the fabric8 model, unknown fields as errors. */
class BuiltInKindsTest {

    static List<Manifest> builtInObjects() {
        return Repository.kubernetesManifests().stream()
                .filter(manifest -> BuiltInKinds.isBuiltInGroup(manifest.group()))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("builtInObjects")
    void isAValidObjectOfItsKind(Manifest manifest) {
        assertThat(BuiltInKinds.validate(manifest.body())).as(manifest.toString()).isEmpty();
    }

    @Test
    void theBuiltInObjectsAreFound() {
        assertThat(builtInObjects()).extracting(Manifest::kind)
                .contains("Namespace", "ConfigMap", "Job", "ClusterRole");
    }

    @Test
    void anUnknownFieldIsRejected() {
        ObjectNode job = jetStreamJob();
        ((ObjectNode) job.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
        assertThat(BuiltInKinds.validate(job)).containsExactly(
                "$.spec.template.spec.containers[0].imagePullPolicyy: unknown field");
    }

    @Test
    void aValueOfTheWrongTypeIsRejected() {
        ObjectNode job = jetStreamJob();
        ((ObjectNode) job.path("spec")).put("backoffLimit", "10");
        assertThat(BuiltInKinds.validate(job)).singleElement().asString().contains("backoffLimit");
    }

    @Test
    void anInvalidLabelValueIsRejected() {
        ObjectNode job = jetStreamJob();
        ((ObjectNode) job.at("/metadata/labels")).put("app.kubernetes.io/version", "sha/with/slashes");
        assertThat(BuiltInKinds.validate(job)).singleElement().asString().contains("app.kubernetes.io/version");
    }

    private static ObjectNode jetStreamJob() {
        return Repository.find(manifest -> manifest.kind().equals("Job"), "Job").body().deepCopy();
    }
}
