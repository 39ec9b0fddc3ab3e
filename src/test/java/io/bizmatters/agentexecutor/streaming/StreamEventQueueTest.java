package io.bizmatters.agentexecutor.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamEventQueueTest {
    private final List<StreamEvent> dropped = new ArrayList<>();
    private final StreamEventQueue queue = new StreamEventQueue(3, 1_000, dropped::add);

    private static StreamEvent event(StreamEventType type, String json) {
        return new StreamEvent("job-1", type, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(StreamEvent event) {
        return new String(event.json(), StandardCharsets.UTF_8);
    }

    private List<String> taken() throws InterruptedException {
        List<StreamEvent> batch = new ArrayList<>();
        queue.takeBatch(batch, 10, 0);
        return batch.stream().map(StreamEventQueueTest::text).toList();
    }

    @Test
    void aFullQueueDropsTheOldestTokenFirstAndKeepsTheOrderOfTheRest() throws InterruptedException {
        queue.offer(event(StreamEventType.STATE_UPDATE, "state-1"));
        queue.offer(event(StreamEventType.LLM_STREAM, "token-1"));
        queue.offer(event(StreamEventType.LLM_STREAM, "token-2"));
        queue.offer(event(StreamEventType.TOOL_START, "tool-1"));

        assertThat(dropped).extracting(StreamEventQueueTest::text).containsExactly("token-1");
        assertThat(taken()).containsExactly("state-1", "token-2", "tool-1");
    }

    @Test
    void withoutTokensTheOldestNonTerminalEventMakesRoomAndTerminalEventsStay() throws InterruptedException {
        queue.offer(event(StreamEventType.END, "end-a"));
        queue.offer(event(StreamEventType.STATE_UPDATE, "state-1"));
        queue.offer(event(StreamEventType.TOOL_END, "tool-1"));
        queue.offer(event(StreamEventType.ERROR, "error-b"));

        assertThat(dropped).extracting(StreamEventQueueTest::text).containsExactly("state-1");
        assertThat(taken()).containsExactly("end-a", "tool-1", "error-b");
    }

    @Test
    void aTokenNeverPushesOutAStateUpdate() throws InterruptedException {
        queue.offer(event(StreamEventType.STATE_UPDATE, "state-1"));
        queue.offer(event(StreamEventType.TOOL_START, "tool-1"));
        queue.offer(event(StreamEventType.END, "end-a"));
        queue.offer(event(StreamEventType.LLM_STREAM, "token-late"));

        assertThat(dropped).extracting(StreamEventQueueTest::text).containsExactly("token-late");
        assertThat(taken()).containsExactly("state-1", "tool-1", "end-a");
    }

    @Test
    void theCharacterBudgetMakesRoomTheSameWay() throws InterruptedException {
        StreamEventQueue small = new StreamEventQueue(100, 30, dropped::add);
        small.offer(event(StreamEventType.STATE_UPDATE, "state-1-" + "x".repeat(8)));
        small.offer(event(StreamEventType.STATE_UPDATE, "state-2"));
        small.offer(event(StreamEventType.STATE_UPDATE, "state-3-" + "x".repeat(8)));

        assertThat(dropped).extracting(StreamEventQueueTest::text).containsExactly("state-1-xxxxxxxx");
        List<StreamEvent> batch = new ArrayList<>();
        small.takeBatch(batch, 10, 0);
        assertThat(batch).extracting(StreamEventQueueTest::text).containsExactly("state-2", "state-3-xxxxxxxx");
    }

    @Test
    void whenOnlyTerminalEventsAreQueuedTheOfferedOneIsGivenUp() throws InterruptedException {
        queue.offer(event(StreamEventType.END, "end-a"));
        queue.offer(event(StreamEventType.END, "end-b"));
        queue.offer(event(StreamEventType.ERROR, "error-c"));
        queue.offer(event(StreamEventType.LLM_STREAM, "token-late"));

        assertThat(dropped).extracting(StreamEventQueueTest::text).containsExactly("token-late");
        assertThat(taken()).containsExactly("end-a", "end-b", "error-c");
    }
}
