package io.bizmatters.agentexecutor.testsupport;

import io.bizmatters.agentexecutor.agent.models.StreamingModelCall;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Counts model calls down as each receives its first streamed token. */
public final class FirstTokens {
    private final CountDownLatch missing;

    public FirstTokens(int calls) {
        missing = new CountDownLatch(calls);
    }

    /** A listener for one call. */
    public StreamingModelCall.Listener listener() {
        return new StreamingModelCall.Listener() {
            private boolean counted;

            @Override
            public void token(String text) {
                if (!counted) {
                    counted = true;
                    missing.countDown();
                }
            }

            @Override
            public void toolCallChunk(int index, String toolCallId, String toolName, String argumentsChunk) {
            }
        };
    }

    /** @return whether every call received its first token before the wait ran out */
    public boolean await(Duration wait) throws InterruptedException {
        return missing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until every call streams, or until no further call started streaming for {@code quiet}. */
    public void awaitAllOrNoProgressFor(Duration quiet) throws InterruptedException {
        for (long before = Long.MAX_VALUE; missing.getCount() < before; ) {
            before = missing.getCount();
            if (await(quiet)) {
                return;
            }
        }
    }

    public long missing() {
        return missing.getCount();
    }
}
