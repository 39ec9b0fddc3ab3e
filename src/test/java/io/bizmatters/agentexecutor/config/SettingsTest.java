package io.bizmatters.agentexecutor.config;

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
        assertThat(settings.maxConcurrentJobs()).isEqualTo(Settings.DEFAULT_MAX_CONCURRENT_JOBS);
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
