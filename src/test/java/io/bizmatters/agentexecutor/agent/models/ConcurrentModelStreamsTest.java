package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.model.chat.response.ChatResponse;
import io.bizmatters.agentexecutor.testsupport.SlowModelStreams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow models stream to many jobs at once: no job's stream waits for another's to end.
 * langchain4j's default HTTP client reads every stream on a common-pool thread, which blocks for
 * the stream's whole length; the pool then adds at most 256 spare threads beyond its parallelism
 * (2 in tests, set by surefire, as on a 3-core node), so more streams than that queue up.
 */
class ConcurrentModelStreamsTest {
    private static final int STREAMS = 300;

    @Test
    void everySlowStreamDeliversItsFirstTokenWhileTheOthersAreStillGenerating() throws Exception {
        try (SlowModelStreams streams = SlowModelStreams.start(STREAMS)) {
            boolean allStreaming = streams.awaitAllStreaming(Duration.ofSeconds(30));
            int streaming = streams.streaming();
            streams.release();

            assertThat(allStreaming).as("streams with their first token: " + streaming + " of " + STREAMS).isTrue();
            for (CompletableFuture<ChatResponse> answer : streams.answers()) {
                assertThat(answer.get(30, TimeUnit.SECONDS).aiMessage().text()).isEqualTo(SlowModelStreams.ANSWER);
            }
        }
    }
}
