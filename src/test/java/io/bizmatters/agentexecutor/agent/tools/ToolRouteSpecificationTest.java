package io.bizmatters.agentexecutor.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolRouteSpecificationTest {
    @Test
    void theSchemaIsLookedUpBesideTheRouteWhereverCamelLoadedItFrom() {
        assertThat(ToolRouteSpecification.schemaLocations("classpath:routes/tools/x.camel.yaml", "x.schema.json"))
                .containsExactly("classpath:routes/tools/x.schema.json");
        assertThat(ToolRouteSpecification.schemaLocations("file:/etc/agent-tools/all.camel.yaml", "x.schema.json"))
                .containsExactly("file:/etc/agent-tools/x.schema.json");
        assertThat(ToolRouteSpecification.schemaLocations("classpath:x.camel.yaml", "x.schema.json"))
                .containsExactly("classpath:x.schema.json");
        assertThat(ToolRouteSpecification.schemaLocations("file:/app/agent-executor.jar!/routes/tools/x.camel.yaml",
                "x.schema.json"))
                .containsExactly("file:/app/agent-executor.jar!/routes/tools/x.schema.json",
                        "classpath:routes/tools/x.schema.json");
    }
}
