package io.bizmatters.agentexecutor.agent.models;

import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.bizmatters.agentexecutor.agent.definition.ModelSpec;
import io.bizmatters.agentexecutor.failure.BadInput;
import io.bizmatters.agentexecutor.failure.JobFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the langchain4j streaming model an agent's {@code config.model} asks for. Models are
 * cached per spec and shared by all jobs, and all of them share one {@link ModelHttpClients}
 * transport: one connection pool and selector thread for thousands of concurrent jobs, and each
 * model stream read on a virtual thread of its own.
 */
public final class ChatModelFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ChatModelFactory.class);

    private static final int CACHED_MODELS = 256;

    private final ModelSettings settings;
    private final Map<ModelSpec, AgentModel> models = new ConcurrentHashMap<>();
    private final ModelHttpClients httpClients;

    public ChatModelFactory(ModelSettings settings) {
        this.settings = settings;
        this.httpClients = new ModelHttpClients(settings.idleTimeout(), settings.totalTimeout());
        if (settings.offlineModelActive()) {
            LOG.warn("OFFLINE MODEL: no OPENAI_API_KEY or ANTHROPIC_API_KEY is set and AGENT_OFFLINE_MODEL=auto, "
                    + "so openai and anthropic agents get canned answers from the offline model, not a real LLM");
        }
    }

    /** @throws JobFailure naming the environment variable when the provider's key is missing */
    public AgentModel create(ModelSpec spec) {
        AgentModel cached = models.get(spec);
        if (cached != null) {
            return cached;
        }
        // Model names arrive in job messages: past the bound, build per job rather than grow forever.
        return models.size() < CACHED_MODELS ? models.computeIfAbsent(spec, this::build) : build(spec);
    }

    private AgentModel build(ModelSpec spec) {
        return switch (spec.provider()) {
            case OPENAI -> settings.offlineModelActive() ? offline(spec)
                    : new AgentModel(openAi(spec), spec.provider().wireName(), spec.model());
            case ANTHROPIC -> settings.offlineModelActive() ? offline(spec)
                    : new AgentModel(anthropic(spec), spec.provider().wireName(), spec.model());
            case OLLAMA -> new AgentModel(OllamaStreamingChatModel.builder()
                    .httpClientBuilder(httpClients.builder())
                    .baseUrl(settings.ollamaBaseUrl())
                    .modelName(spec.model())
                    .temperature(spec.temperature())
                    .numPredict(spec.maxTokens())
                    .timeout(settings.timeout())
                    .build(), spec.provider().wireName(), spec.model());
        };
    }

    private StreamingChatModel openAi(ModelSpec spec) {
        OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(httpClients.builder())
                .apiKey(requireKey(settings.openAiApiKey(), ModelSettings.OPENAI_API_KEY, spec))
                .modelName(spec.model())
                .temperature(spec.temperature())
                .maxTokens(spec.maxTokens())
                .timeout(settings.timeout());
        if (settings.openAiBaseUrl() != null) {
            builder.baseUrl(settings.openAiBaseUrl());
        }
        return builder.build();
    }

    private StreamingChatModel anthropic(ModelSpec spec) {
        AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder builder = AnthropicStreamingChatModel.builder()
                .httpClientBuilder(httpClients.builder())
                .apiKey(requireKey(settings.anthropicApiKey(), ModelSettings.ANTHROPIC_API_KEY, spec))
                .modelName(spec.model())
                .temperature(spec.temperature())
                .maxTokens(spec.maxTokens())
                .timeout(settings.timeout());
        if (settings.anthropicBaseUrl() != null) {
            builder.baseUrl(settings.anthropicBaseUrl());
        }
        return builder.build();
    }

    private static AgentModel offline(ModelSpec spec) {
        return new AgentModel(new OfflineChatModel(), OfflineChatModel.PROVIDER, spec.model());
    }

    private static String requireKey(String key, String variable, ModelSpec spec) {
        if (key == null) {
            throw new JobFailure(variable + " is not set, but the agent definition uses " + spec.provider().wireName()
                    + " model " + BadInput.quote(spec.model()) + ". Set " + variable + " in the service environment.");
        }
        return key;
    }
}
