package io.bizmatters.agentexecutor.ingress.jetstream;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A durable pull consumer on one stream; the options mirror docs/contract.md's JetStream set-up.
 * They are declared the way Camel components declare theirs, and Camel binds them from the URI.
 */
@UriEndpoint(firstVersion = "4.17.0", scheme = "jetstream", title = "JetStream (ack after the job)",
        syntax = "jetstream:stream", consumerOnly = true, remote = true, category = Category.MESSAGING)
public class JetStreamEndpoint extends DefaultEndpoint {
    @UriPath(description = "The JetStream stream the durable consumer reads, created if missing")
    @Metadata(required = true)
    private final String stream;
    @UriParam(label = "consumer", description = "The durable consumer's name, created if missing")
    @Metadata(required = true)
    private String consumer;
    @UriParam(label = "consumer", defaultValue = "agent.execute.*",
            description = "Subjects of the stream (when it must be created) and the consumer's filter")
    private String subjects = "agent.execute.*";
    @UriParam(label = "consumer", defaultValue = "200",
            description = "Messages in flight at once; each runs on its own virtual thread")
    private int maxConcurrentJobs = 200;
    @UriParam(label = "consumer", defaultValue = "25",
            description = "How long stopping waits for running jobs before handing their messages back")
    private int shutdownGraceSeconds = 25;

    JetStreamEndpoint(String uri, JetStreamComponent component, String stream) {
        super(uri, component);
        this.stream = stream;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("jetstream: is a consumer; result events are published by ResultEventPublisher");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        JetStreamConsumer jetStreamConsumer = new JetStreamConsumer(this, processor);
        configureConsumer(jetStreamConsumer);
        return jetStreamConsumer;
    }

    @Override
    public JetStreamComponent getComponent() {
        return (JetStreamComponent) super.getComponent();
    }

    public String getStream() {
        return stream;
    }

    public String getConsumer() {
        return consumer;
    }

    public void setConsumer(String consumer) {
        this.consumer = consumer;
    }

    public String getSubjects() {
        return subjects;
    }

    public void setSubjects(String subjects) {
        this.subjects = subjects;
    }

    public int getMaxConcurrentJobs() {
        return maxConcurrentJobs;
    }

    public void setMaxConcurrentJobs(int maxConcurrentJobs) {
        this.maxConcurrentJobs = maxConcurrentJobs;
    }

    public int getShutdownGraceSeconds() {
        return shutdownGraceSeconds;
    }

    public void setShutdownGraceSeconds(int shutdownGraceSeconds) {
        this.shutdownGraceSeconds = shutdownGraceSeconds;
    }
}
