package io.bizmatters.agentexecutor.agent.graph;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.bizmatters.agentexecutor.agent.models.StreamingModelCall;
import org.bsc.langgraph4j.action.NodeAction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One model call of the thread's agent, on its own conversation. */
final class AgentStep implements NodeAction<DeepAgentState> {
    private final AgentToolbox agent;
    private final StreamingModelCall modelCall;
    private final JobScope job;
    private final AgentThread thread;

    AgentStep(AgentToolbox agent, StreamingModelCall modelCall, JobScope job, AgentThread thread) {
        this.agent = agent;
        this.modelCall = modelCall;
        this.job = job;
        this.thread = thread;
    }

    @Override
    public Map<String, Object> apply(DeepAgentState state) {
        String agentId = thread.agentId();
        try (StepGuard.Step step = job.guard().beforeModelCall(thread)) {
            List<Map<String, Object>> conversation = state.messages();
            ChatRequest request = ChatRequest.builder()
                    .messages(Messages.toChatMessages(agent.spec().systemPrompt(), conversation))
                    .toolSpecifications(agent.specifications())
                    .build();
            ChatResponse response = job.telemetry().modelCall(agentId, agent.spec().name(), agent.model(), request,
                    () -> modelCall.call(agent.model(), request, new StreamingModelCall.Listener() {
                @Override
                public void token(String text) {
                    thread.events().llmToken(agentId, text);
                }

                @Override
                public void toolCallChunk(int index, String toolCallId, String toolName, String argumentsChunk) {
                    thread.events().llmToolCallChunk(agentId, index, toolCallId, toolName, argumentsChunk);
                }
            }));
            Map<String, Object> agentUsage = AgentUsageBook.modelCall(state.agentUsage(), agentId, response.tokenUsage());
            List<Map<String, Object>> answered = new ArrayList<>(conversation);
            answered.add(Messages.assistant(response.aiMessage()));
            Map<String, Object> update = new HashMap<>();
            update.put(DeepAgentState.STEPS, state.steps() + 1);
            update.put(DeepAgentState.USAGE, TokenUsageBook.add(state.usage(), agent.model(), response.tokenUsage()));
            update.put(DeepAgentState.AGENT_USAGE, agentUsage);
            update.put(DeepAgentState.MESSAGES, answered);
            step.done(agentUsage, state.steps() + 1);
            return update;
        }
    }
}
