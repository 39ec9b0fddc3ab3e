package io.bizmatters.agentexecutor.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * A checkpoint saver that passes every state through plain Jackson (to JSON text and back) before
 * the delegate keeps it, as a JSONB-backed saver does. An engine whose state is not plain JSON, or
 * that cannot resume from what JSON gives back (Integer for Long, LinkedHashMap for records), fails
 * its tests on this saver.
 */
public final class JsonRoundTripSaver implements BaseCheckpointSaver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BaseCheckpointSaver delegate;

    public JsonRoundTripSaver(BaseCheckpointSaver delegate) {
        this.delegate = delegate;
    }

    @Override
    public RunnableConfig put(RunnableConfig config, Checkpoint checkpoint) throws Exception {
        Map<String, Object> state = JSON.readValue(JSON.writeValueAsString(checkpoint.getState()),
                new TypeReference<Map<String, Object>>() {
                });
        return delegate.put(config, Checkpoint.builder().id(checkpoint.getId()).nodeId(checkpoint.getNodeId())
                .nextNodeId(checkpoint.getNextNodeId()).state(state).build());
    }

    @Override
    public Collection<Checkpoint> list(RunnableConfig config) {
        return delegate.list(config);
    }

    @Override
    public Optional<Checkpoint> get(RunnableConfig config) {
        return delegate.get(config);
    }

    @Override
    public Tag release(RunnableConfig config) throws Exception {
        return delegate.release(config);
    }
}
