package io.bizmatters.agentexecutor.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestSyntaxTest {

    static List<Path> yamlFiles() {
        return Repository.yamlFiles();
    }

    @ParameterizedTest
    @MethodSource("yamlFiles")
    void everyYamlFileParses(Path file) {
        assertThat(file).exists();
        Repository.parse(file);
    }

    @Test
    void theDeploymentFilesAreAllFound() {
        assertThat(Repository.yamlFiles()).extracting(file -> Repository.root().relativize(file).toString())
                .contains(
                        AgentExecutorApi.XRD_FILE,
                        AgentExecutorApi.COMPOSITION_FILE,
                        AgentExecutorApi.CLAIM_FILE,
                        "platform/04-apis.yaml",
                        "platform/03-intelligence.yaml",
                        "platform/03-intelligence/namespace-intelligence-deepagents.yaml",
                        "platform/03-intelligence/external-secrets/agent-executor-postgres-es.yaml",
                        "platform/03-intelligence/external-secrets/agent-executor-dragonfly-es.yaml",
                        "platform/03-intelligence/external-secrets/agent-executor-llm-keys-es.yaml",
                        "bootstrap/components/01-eso.yaml",
                        "bootstrap/profiles/development/01-nats.yaml",
                        "bootstrap/profiles/production/01-nats.yaml",
                        "bootstrap/root-application.yaml",
                        "bootstrap/root-application-production.yaml",
                        "docker-compose.test.yml");
    }

    @Test
    void aDuplicatedKeyIsAParseError() {
        Path broken = Repository.root().resolve("target/duplicate-key.yaml");
        assertThatThrownBy(() -> {
            Files.createDirectories(broken.getParent());
            Files.writeString(broken, "spec:\n  size: small\n  size: large\n");
            Repository.parse(broken);
        }).hasStackTraceContaining("Duplicate field 'size'");
    }
}
