package io.bizmatters.agentexecutor.agent.graph;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.bizmatters.agentexecutor.agent.models.StreamingModelCall;
import io.bizmatters.agentexecutor.agent.tools.TaskTool;
import org.bsc.langgraph4j.action.NodeAction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One model call of the agent whose turn it is. When a specialist answers without calling a tool,
 * the same step pops its frame and hands the answer to the caller as the {@code task} result, so
 * finishing a specialist costs no extra step.
 */
final class AgentStep implements NodeAction<DeepAgentState> {
    private final Map<String, AgentToolbox> agents;
    private final String orchestratorId;
    private final StreamingModelCall modelCall;
    private final JobScope job;

    AgentStep(Map<String, AgentToolbox> agents, String orchestratorId, StreamingModelCall modelCall, JobScope job) {
        this.agents = agents;
        this.orchestratorId = orchestratorId;
        this.modelCall = modelCall;
        this.job = job;
    }

    @Override
    public Map<String, Object> apply(DeepAgentState state) {
        job.guard().beforeModelCall(state);
        String agentId = state.activeAgentId(orchestratorId);
        AgentToolbox agent = agents.get(agentId);
        List<Map<String, Object>> conversation = state.activeConversation();
        ChatRequest request = ChatRequest.builder()
                .messages(Messages.toChatMessages(agent.spec().systemPrompt(), conversation))
                .toolSpecifications(agent.specifications())
                .build();
        ChatResponse response = job.telemetry().modelCall(agentId, agent.spec().name(), agent.model(), request,
                () -> modelCall.call(agent.model(), request, new StreamingModelCall.Listener() {
            @Override
            public void token(String text) {
                job.events().llmToken(agentId, text);
            }

            @Override
            public void toolCallChunk(int index, String toolCallId, String toolName, String argumentsChunk) {
                job.events().llmToolCallChunk(agentId, index, toolCallId, toolName, argumentsChunk);
            }
        }));
        Map<String, Object> update = new HashMap<>();
        update.put(DeepAgentState.STEPS, state.steps() + 1);
        update.put(DeepAgentState.USAGE, TokenUsageBook.add(state.usage(), agent.model(), response.tokenUsage()));
        update.put(DeepAgentState.AGENT_USAGE, AgentUsageBook.modelCall(state.agentUsage(), agentId, response.tokenUsage()));
        List<Map<String, Object>> answered = new ArrayList<>(conversation);
        Map<String, Object> reply = Messages.assistant(response.aiMessage());
        answered.add(reply);
        boolean specialistDone = !state.frames().isEmpty() && Messages.toolCalls(reply).isEmpty();
        update.putAll(specialistDone ? returnToCaller(state, Messages.content(reply)) : state.withActiveConversation(answered));
        return update;
    }

    private Map<String, Object> returnToCaller(DeepAgentState state, String answer) {
        String callId = state.innermostTaskCallId();
        job.events().toolResult(state.callerAgentId(orchestratorId), callId, TaskTool.NAME, answer);
        return state.withInnermostFramePopped(Messages.toolResult(callId, TaskTool.NAME, answer));
    }
}
