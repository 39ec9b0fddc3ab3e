package io.bizmatters.agentexecutor.ingress.jetstream;

/** Told how every message was settled; bind one in the registry to count them. */
public interface DeliveryListener {
    void settled(Disposition disposition);
}
