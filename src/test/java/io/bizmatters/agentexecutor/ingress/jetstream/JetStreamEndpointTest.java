package io.bizmatters.agentexecutor.ingress.jetstream;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.UriParam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The endpoint's declared options are what Camel binds from the URI, with the defaults they declare. */
class JetStreamEndpointTest {
    private final CamelContext camel = new DefaultCamelContext();

    JetStreamEndpointTest() {
        camel.addComponent("jetstream", new JetStreamComponent());
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void camelBindsEveryDeclaredOptionFromTheUri() {
        JetStreamEndpoint endpoint = camel.getEndpoint("jetstream:JOBS?consumer=workers&subjects=jobs.*"
                + "&maxConcurrentJobs=3&shutdownGraceSeconds=7", JetStreamEndpoint.class);

        assertThat(endpoint.getStream()).isEqualTo("JOBS");
        assertThat(endpoint.getConsumer()).isEqualTo("workers");
        assertThat(endpoint.getSubjects()).isEqualTo("jobs.*");
        assertThat(endpoint.getMaxConcurrentJobs()).isEqualTo(3);
        assertThat(endpoint.getShutdownGraceSeconds()).isEqualTo(7);
    }

    @Test
    void theDeclaredDefaultsAreTheEndpointsOwn() throws Exception {
        JetStreamEndpoint endpoint = camel.getEndpoint("jetstream:JOBS?consumer=workers", JetStreamEndpoint.class);
        Map<String, String> declared = Arrays.stream(JetStreamEndpoint.class.getDeclaredFields())
                .filter(field -> field.isAnnotationPresent(UriParam.class))
                .collect(Collectors.toMap(Field::getName, field -> field.getAnnotation(UriParam.class).defaultValue()));

        assertThat(declared.keySet()).containsExactlyInAnyOrder("consumer", "subjects", "maxConcurrentJobs", "shutdownGraceSeconds");
        assertThat(declared).containsEntry("subjects", endpoint.getSubjects())
                .containsEntry("maxConcurrentJobs", String.valueOf(endpoint.getMaxConcurrentJobs()))
                .containsEntry("shutdownGraceSeconds", String.valueOf(endpoint.getShutdownGraceSeconds()));
    }

    @Test
    void aMissingConsumerOrAnUnknownOptionIsNamed() {
        assertThatThrownBy(() -> camel.getEndpoint("jetstream:JOBS"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasStackTraceContaining("?consumer=<durable name>");
        assertThatThrownBy(() -> camel.getEndpoint("jetstream:JOBS?consumer=workers&maxConcurentJobs=3"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("maxConcurentJobs");
    }
}
