package io.bizmatters.agentexecutor.cloudevents;

import io.bizmatters.agentexecutor.failure.BadInput;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The context attributes every CloudEvent must carry (specversion, id, source, type), checked
 * the same way whether they came as {@code ce-*} headers or in a structured body, and reported
 * all at once in one {@link BadInput}.
 */
final class RequiredAttributes {
    private static final Set<String> SPEC_VERSIONS = Set.of("1.0", "0.3");
    private static final List<String> REQUIRED = List.of("id", "source", "type");

    private RequiredAttributes() {
    }

    /** {@code prefix} is how the caller spelled the attributes ({@code ce-} for headers), so the answer names them the same way. */
    static void check(Function<String, String> attribute, String prefix) {
        List<String> fields = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String specVersion = attribute.apply("specversion");
        if (specVersion == null || !SPEC_VERSIONS.contains(specVersion.strip())) {
            fields.add(prefix + "specversion");
            problems.add(prefix + "specversion must be the string \"1.0\"");
        }
        for (String name : REQUIRED) {
            String value = attribute.apply(name);
            if (value == null || value.isBlank()) {
                fields.add(prefix + name);
                problems.add(prefix + name + " is required");
            }
        }
        String source = attribute.apply("source");
        if (source != null && !source.isBlank() && !isUriReference(source)) {
            fields.add(prefix + "source");
            problems.add(prefix + "source must be a URI reference");
        }
        if (!problems.isEmpty()) {
            throw new BadInput(fields, "not a valid CloudEvent: " + String.join("; ", problems));
        }
    }

    private static boolean isUriReference(String value) {
        try {
            new URI(value);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
