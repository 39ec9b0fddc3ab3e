package io.bizmatters.agentexecutor.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.regex.Pattern;

/**
 * Keeps the {@code endpointName} tag of Camel's exchange metrics to a name: Camel puts the whole
 * endpoint URI there, which for the job lookup is its SQL statement, and for any URI with
 * parameters one series per value. A URI whose path is a plain name ({@code direct://tool.word_count})
 * keeps it; any other shrinks to its component ({@code sql}, {@code platform-http}).
 */
public final class CamelEndpointTags implements MeterFilter {
    private static final String TAG = "endpointName";
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    @Override
    public Meter.Id map(Meter.Id id) {
        String endpoint = id.getTag(TAG);
        if (endpoint == null || !id.getName().startsWith("camel.")) {
            return id;
        }
        return id.replaceTags(id.getTagsAsIterable()).withTag(Tag.of(TAG, bounded(endpoint)));
    }

    static String bounded(String endpointUri) {
        int colon = endpointUri.indexOf(':');
        if (colon < 0) {
            return endpointUri;
        }
        String scheme = endpointUri.substring(0, colon);
        String path = endpointUri.substring(colon + 1).replaceFirst("^//", "");
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        return PLAIN_NAME.matcher(path).matches() ? scheme + "://" + path : scheme;
    }
}
