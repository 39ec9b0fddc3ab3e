package io.bizmatters.agentexecutor.streaming;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Writes one batch of events, on the publisher thread: each event's UTF-8 JSON, encoded once on
 * the job's thread, is PUBLISHed on the job's
 * channel and appended to its replayable stream with the entry id {@code <seq>-0}, both in one
 * pipeline and in queue order. Explicit ids make Dragonfly itself refuse a number twice, so the
 * stream holds every event at most once. Every event but a token also renews the stream's expiry,
 * so a finished or abandoned job's stream goes {@code retention} after its last step.
 */
final class StreamWriter {
    private static final byte[] TYPE_FIELD = SafeEncoder.encode(ReplayableStream.TYPE_FIELD);
    private static final byte[] EVENT_FIELD = SafeEncoder.encode(ReplayableStream.EVENT_FIELD);
    private static final Map<StreamEventType, byte[]> TYPES = Arrays.stream(StreamEventType.values())
            .collect(Collectors.toMap(Function.identity(), type -> SafeEncoder.encode(type.wireName())));

    private final StreamSettings settings;
    private final JobSequences sequences = new JobSequences();

    StreamWriter(StreamSettings settings) {
        this.settings = settings;
    }

    /**
     * @return the events the stream refused because their number was already taken (another writer
     * of the same job); they still reached the channel
     */
    int write(Jedis connection, List<StreamEvent> batch) {
        long now = System.currentTimeMillis();
        sequences.forgetIdle(now);
        Set<String> unknown = sequences.unknown(batch, now);
        int numbered = 0;
        try {
            learnPositions(connection, unknown);
            Pipeline pipeline = connection.pipelined();
            List<Response<byte[]>> appended = new ArrayList<>(batch.size());
            for (StreamEvent event : batch) {
                long seq = sequences.next(event.jobId());
                numbered++;
                byte[] json = event.numbered(seq);
                byte[] key = SafeEncoder.encode(event.streamKey());
                pipeline.publish(SafeEncoder.encode(event.channel()), json);
                appended.add(pipeline.xadd(key, XAddParams.xAddParams()
                                .id(new StreamEntryID(seq, 0)).maxLen(settings.maxEvents()).approximateTrimming(),
                        Map.of(TYPE_FIELD, TYPES.get(event.type()), EVENT_FIELD, json)));
                if (event.type() != StreamEventType.LLM_STREAM) {
                    pipeline.expire(key, settings.retention().toSeconds());
                }
            }
            pipeline.sync();
            int refused = refused(batch, appended);
            batch.stream().filter(event -> event.type().leavesDelivery()).forEach(event -> sequences.forget(event.jobId()));
            return refused;
        } catch (RuntimeException e) {
            batch.subList(numbered, batch.size()).forEach(event -> sequences.lost(event.jobId()));
            throw e;
        }
    }

    private void learnPositions(Jedis connection, Set<String> jobIds) {
        if (jobIds.isEmpty()) {
            return;
        }
        Pipeline pipeline = connection.pipelined();
        List<Response<List<StreamEntry>>> tops = new ArrayList<>(jobIds.size());
        for (String jobId : jobIds) {
            tops.add(pipeline.xrevrange(ReplayableStream.key(jobId), "+", "-", 1));
        }
        pipeline.sync();
        int i = 0;
        for (String jobId : jobIds) {
            List<StreamEntry> top = tops.get(i++).get();
            sequences.learned(jobId, top.isEmpty() ? 0 : top.getFirst().getID().getTime());
        }
    }

    private int refused(List<StreamEvent> batch, List<Response<byte[]>> appended) {
        int refused = 0;
        for (int i = 0; i < batch.size(); i++) {
            try {
                appended.get(i).get();
            } catch (JedisDataException e) {
                refused++;
                sequences.forget(batch.get(i).jobId());
            }
        }
        return refused;
    }
}
