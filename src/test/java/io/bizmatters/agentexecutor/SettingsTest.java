package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.agent.Limit;
import io.bizmatters.agentexecutor.checkpoint.RetentionPolicy;
import io.bizmatters.agentexecutor.config.MissingSettings;
import io.bizmatters.agentexecutor.streaming.StreamSettings;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void oneMessageNamesEveryMissingRequiredVariable() {
        assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("MAX_CONCURRENT_JOBS", "lots")))
                .isInstanceOf(MissingSettings.class)
                .hasMessageContainingAll("POSTGRES_HOST", "POSTGRES_PASSWORD", "DRAGONFLY_HOST", "MAX_CONCURRENT_JOBS");
    }

    @Test
    void oneMessageNamesEveryBadVariableOfEveryCapability() {
        Map<String, String> env = new HashMap<>(Map.of("POSTGRES_PASSWORD", "pg-secret", "DRAGONFLY_PASSWORD", "dragon-secret",
                "OPENAI_API_KEY", "sk-openai-secret", "API_TOKEN", "api-token-secret"));
        env.putAll(Map.of("PORT", "0", "STREAM_MAX_EVENTS", "many", "AGENT_MODEL_TIMEOUT_SECONDS", "0",
                "AGENT_STEP_LIMIT", "-1", "AGENT_MAX_TOOL_CALLS", "x", "CHECKPOINT_RETENTION", "all",
                "HTTP_IDLE_TIMEOUT_SECONDS", "1.5", "POSTGRES_POOL_SIZE", "0"));

        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .isInstanceOfSatisfying(MissingSettings.class, e -> assertThat(e.problems()).hasSize(10))
                .hasMessageContainingAll("POSTGRES_HOST", "DRAGONFLY_HOST", "PORT must be a positive integer, got '0'",
                        "STREAM_MAX_EVENTS", "AGENT_MODEL_TIMEOUT_SECONDS must be a positive integer, got '0'",
                        "AGENT_STEP_LIMIT", "AGENT_MAX_TOOL_CALLS", "CHECKPOINT_RETENTION must be", "HTTP_IDLE_TIMEOUT_SECONDS",
                        "POSTGRES_POOL_SIZE")
                .message().doesNotContain("pg-secret", "dragon-secret", "sk-openai-secret", "api-token-secret");
    }

    @Test
    void aModelTimeoutMustBePositiveWhileNoRetriesIsAllowed() {
        Map<String, String> env = required();
        env.put("AGENT_MODEL_MAX_RETRIES", "0");
        assertThat(Settings.fromEnvironment(env).engine().models().maxRetries()).isZero();

        env.put("AGENT_MODEL_RETRY_BACKOFF_MILLIS", "0");
        env.put("AGENT_MODEL_IDLE_TIMEOUT_SECONDS", "0");
        assertThatThrownBy(() -> Settings.fromEnvironment(env))
                .hasMessageContainingAll("AGENT_MODEL_RETRY_BACKOFF_MILLIS must be a positive integer, got '0'",
                        "AGENT_MODEL_IDLE_TIMEOUT_SECONDS must be a positive integer, got '0'");
    }

    @Test
    void aBlankVariableTakesItsDefaultButAnEmptyPasswordIsAPassword() {
        Map<String, String> env = required();
        env.put("PORT", " ");
        env.put("NATS_STREAM_NAME", "");
        env.put("POSTGRES_PASSWORD", "");

        Settings settings = Settings.fromEnvironment(env);

        assertThat(settings.httpPort()).isEqualTo(8080);
        assertThat(settings.natsStreamName()).isEqualTo("AGENT_EXECUTION");
        assertThat(settings.postgres().password()).isEmpty();
        env.put("POSTGRES_HOST", "  ");
        assertThatThrownBy(() -> Settings.fromEnvironment(env)).hasMessageContaining("missing required environment variable POSTGRES_HOST");
    }

    @Test
    void defaultsFollowTheContract() {
        Settings settings = Settings.fromEnvironment(required());

        assertThat(settings.postgres().port()).isEqualTo(5432);
        assertThat(settings.postgres().database()).isEqualTo("langgraph_dev");
        assertThat(settings.postgres().user()).isEqualTo("postgres");
        assertThat(settings.postgres().schema()).isEqualTo("agent_executor");
        assertThat(settings.dragonfly().port()).isEqualTo(6379);
        assertThat(settings.natsUrl()).isEqualTo("nats://nats.nats.svc:4222");
        assertThat(settings.natsStreamName()).isEqualTo("AGENT_EXECUTION");
        assertThat(settings.natsConsumerGroup()).isEqualTo("agent-executor-workers");
        assertThat(settings.httpPort()).isEqualTo(8080);
        assertThat(settings.serviceName()).isEqualTo("agent-executor-service");
        assertThat(settings.maxConcurrentJobs()).isEqualTo(200);
        assertThat(settings.shutdownGrace()).hasSeconds(25);
        assertThat(settings.interruptTimeout()).hasDays(7);
        assertThat(settings.maxIdLength()).isEqualTo(256);
        assertThat(settings.streams()).isEqualTo(StreamSettings.DEFAULTS);
        assertThat(settings.engine().stepLimit()).isEqualTo(500);
        assertThat(settings.engine().models().timeout()).hasSeconds(120);
        assertThat(settings.engine().models().maxRetries()).isEqualTo(3);
        assertThat(settings.engine().models().ollamaBaseUrl()).isEqualTo("http://localhost:11434");
        assertThat(settings.checkpointRetention()).isEqualTo(new RetentionPolicy(true, 7));
        assertThat(settings.http().requestTimeout()).hasSeconds(30);
        assertThat(settings.limits().defaults().value(Limit.MAX_MODEL_CALLS)).isEqualTo(200);
        assertThat(settings.limits().defaults().value(Limit.MAX_TOTAL_TOKENS)).isNull();
    }

    @Test
    void secretsNeverAppearWhenSettingsAreLogged() {
        Map<String, String> env = required();
        env.put("DRAGONFLY_PASSWORD", "dragon-secret");
        env.put("OPENAI_API_KEY", "sk-openai-secret");
        env.put("ANTHROPIC_API_KEY", "anthropic-secret");
        env.put("NATS_URL", "nats://user:nats-secret@nats:4222");
        env.put("API_TOKEN", "api-token-secret");

        String logged = Settings.fromEnvironment(env).toString();

        assertThat(logged).doesNotContain("pg-secret", "dragon-secret", "sk-openai-secret", "anthropic-secret", "nats-secret",
                "api-token-secret");
        assertThat(logged).contains("access control on");
        assertThat(logged).contains("nats:4222", "openAiApiKey=set");
    }

    @Test
    void theApiTokenCanComeFromAMountedFileButNotFromBothPlaces(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("token");
        java.nio.file.Files.writeString(file, "from-a-file\n");
        Map<String, String> env = required();
        env.put("API_TOKEN_FILE", file.toString());

        assertThat(Settings.fromEnvironment(env).http().apiToken()).isEqualTo("from-a-file");
        assertThat(Settings.fromEnvironment(required()).http().accessControlled()).isFalse();
        env.put("API_TOKEN", "inline");
        assertThatThrownBy(() -> Settings.fromEnvironment(env)).hasMessageContaining("not both");
        env.remove("API_TOKEN");
        env.put("API_TOKEN_FILE", dir.resolve("missing").toString());
        assertThatThrownBy(() -> Settings.fromEnvironment(env)).hasMessageContaining("cannot be read");
    }

    private static Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_HOST", "db");
        env.put("POSTGRES_PASSWORD", "pg-secret");
        env.put("DRAGONFLY_HOST", "cache");
        return env;
    }
}
