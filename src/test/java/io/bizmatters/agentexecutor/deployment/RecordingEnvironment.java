package io.bizmatters.agentexecutor.deployment;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An environment map that remembers every variable the service asks it for, so the deployment
 * checks learn the service's variables from the service itself instead of from a list kept by
 * hand. Iterating it fails: a service that discovered variables by scanning the environment
 * would read names this map cannot record.
 */
final class RecordingEnvironment extends AbstractMap<String, String> {

    private final Map<String, String> values;
    private final Set<String> read = new TreeSet<>();

    RecordingEnvironment(Map<String, String> values) {
        this.values = new HashMap<>(values);
    }

    Set<String> read() {
        return Set.copyOf(read);
    }

    @Override
    public String get(Object key) {
        read.add((String) key);
        return values.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        read.add((String) key);
        return values.containsKey(key);
    }

    @Override
    public String getOrDefault(Object key, String defaultValue) {
        read.add((String) key);
        return values.getOrDefault(key, defaultValue);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        throw new UnsupportedOperationException(
                "the service must read environment variables by name, or the deployment checks cannot know them");
    }
}
