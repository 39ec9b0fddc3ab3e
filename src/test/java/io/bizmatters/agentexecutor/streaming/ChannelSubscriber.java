package io.bizmatters.agentexecutor.streaming;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** A watcher of one stream channel, as ide-orchestrator is: SUBSCRIBE and keep every message. */
public final class ChannelSubscriber implements AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final JedisPubSub pubSub = new JedisPubSub() {
        @Override
        public void onMessage(String channel, String message) {
            messages.add(message);
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            subscribed.countDown();
        }
    };
    private final Thread listener;

    private ChannelSubscriber(int port, String channel) {
        listener = Thread.ofPlatform().daemon().start(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.subscribe(pubSub, channel);
            }
        });
    }

    public static ChannelSubscriber subscribe(int port, String channel) throws InterruptedException {
        ChannelSubscriber subscriber = new ChannelSubscriber(port, channel);
        if (!subscriber.subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not SUBSCRIBE to " + channel + " on port " + port);
        }
        return subscriber;
    }

    public List<String> messages() {
        return new ArrayList<>(messages);
    }

    @Override
    public void close() throws InterruptedException {
        if (pubSub.isSubscribed()) {
            pubSub.unsubscribe();
        }
        listener.join(5_000);
    }
}
