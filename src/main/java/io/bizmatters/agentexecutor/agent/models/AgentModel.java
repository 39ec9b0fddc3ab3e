package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.model.chat.StreamingChatModel;

/**
 * A ready model and the names its token usage is booked under. {@code provider} is
 * {@code offline} when the offline model stands in, so results and metrics show it.
 */
public record AgentModel(StreamingChatModel chatModel, String provider, String modelName) {

    public boolean offline() {
        return OfflineChatModel.PROVIDER.equals(provider);
    }
}
