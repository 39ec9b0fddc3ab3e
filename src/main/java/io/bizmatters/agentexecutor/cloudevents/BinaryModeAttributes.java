package io.bizmatters.agentexecutor.cloudevents;

import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.rw.CloudEventContextWriter;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventWriter;
import org.apache.camel.Message;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The context attributes of a binary-mode CloudEvent, as the SDK's HTTP binding
 * ({@link HttpMessageFactory}) reads them from the {@code ce-*} headers of an HTTP request or a
 * NATS message. They are collected as text rather than built into a {@code CloudEvent}, whose
 * builder stops at the first missing attribute: {@link CloudEventReader} names every one at once.
 */
final class BinaryModeAttributes implements CloudEventWriter<Map<String, String>> {
    private static final String SPEC_VERSION_HEADER = "ce-specversion";

    private final Map<String, String> attributes = new HashMap<>();

    private BinaryModeAttributes(SpecVersion version) {
        attributes.put("specversion", version.toString());
    }

    /**
     * The attributes when the message is in binary mode (a {@code ce-specversion} header and no
     * CloudEvent format as its content type), else null. An unknown specversion has none.
     */
    static Map<String, String> of(Message in, byte[] body) {
        try {
            MessageReader message = HttpMessageFactory.createReader(headers(in, null), body);
            return message.getEncoding() == Encoding.BINARY ? message.read(BinaryModeAttributes::new) : null;
        } catch (CloudEventRWException notBinary) {
            if (notBinary.getKind() != CloudEventRWException.CloudEventRWExceptionKind.INVALID_SPEC_VERSION) {
                return null;
            }
            // The SDK refuses the message before reading the rest; read the rest as 1.0 to name it all.
            Map<String, String> rest = HttpMessageFactory.createReader(headers(in, SpecVersion.V1.toString()), body)
                    .read(BinaryModeAttributes::new);
            rest.remove("specversion");
            return rest;
        }
    }

    /** The exchange's headers as the SDK visits them, with Camel's own conversion of each value to text. */
    private static Consumer<BiConsumer<String, String>> headers(Message in, String specVersionInstead) {
        return visit -> in.getHeaders().forEach((name, value) -> {
            if (value != null) {
                boolean replaced = specVersionInstead != null && SPEC_VERSION_HEADER.equalsIgnoreCase(name);
                visit.accept(name, replaced ? specVersionInstead : in.getHeader(name, String.class));
            }
        });
    }

    @Override
    public CloudEventContextWriter withContextAttribute(String name, String value) {
        attributes.put(name, value);
        return this;
    }

    @Override
    public Map<String, String> end(CloudEventData data) {
        return attributes;
    }

    @Override
    public Map<String, String> end() {
        return attributes;
    }
}
