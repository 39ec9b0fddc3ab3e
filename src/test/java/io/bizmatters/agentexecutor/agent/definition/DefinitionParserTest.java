package io.bizmatters.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.definition.DeclaredTool;
import io.bizmatters.agentexecutor.failure.BadInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import io.bizmatters.agentexecutor.testsupport.PythonServiceDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefinitionParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acceptsThePythonServicesTestDefinition() throws Exception {
        ObjectNode raw = (ObjectNode) PythonServiceDefinition.json();

        AgentDefinition definition = DefinitionParser.parse(raw);

        assertThat(definition.orchestrator().id()).isEqualTo("builder_agent_orchestrator");
        assertThat(definition.orchestrator().tools()).isEmpty();
        assertThat(definition.specialists()).extracting(AgentSpec::name).containsExactly(
                "Guardrail Agent", "Impact Analysis Agent", "Workflow Spec Agent", "Agent Spec Agent",
                "Multi-Agent Compiler Agent");
        assertThat(definition.specialists()).flatExtracting(AgentSpec::tools).containsOnly(
                "generate_diff", "propose_changes", "validate_definition", "finalize_compilation");
        assertThat(definition.orchestrator().model()).isEqualTo(
                new ModelSpec(ModelSpec.Provider.OPENAI, "gpt-4.1-mini", null, null));
        assertThat(definition.stateSchema()).containsExactly(new StateKey("proposed_changes", StateKey.Reducer.APPEND));
        assertThat(definition.namedTools(List.of())).extracting(DeclaredTool::name).containsExactly(
                "generate_diff", "propose_changes", "validate_definition", "finalize_compilation");
        assertThat(definition.namedTools(List.of())).allSatisfy(t -> assertThat(t.pythonScript()).contains("@tool"));
    }

    @Test
    void withoutAnOrchestratorTheFirstNodeIsTheEntry() throws Exception {
        AgentDefinition definition = DefinitionParser.parse(json("""
                {"nodes": [{"config": {"name": "A", "model": {"provider": "Ollama", "model": "llama3"}}},
                           {"id": "b", "type": "whatever", "config": {"name": "B", "model": {"provider": "anthropic", "model": "claude"}}}]}
                """));

        assertThat(definition.orchestrator().id()).isEqualTo("A");
        assertThat(definition.orchestrator().model().provider()).isEqualTo(ModelSpec.Provider.OLLAMA);
        assertThat(definition.specialists()).extracting(AgentSpec::id).containsExactly("b");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}                                                                              | agent_definition",
            "{\"nodes\": []}                                                                 | agent_definition.nodes",
            "{\"nodes\": [{\"config\": {\"name\": \"A\"}}]}                                  | agent_definition.nodes[0].config.model",
            "{\"nodes\": [{\"config\": {\"model\": {\"provider\": \"openai\", \"model\": \"m\"}}}]} | agent_definition.nodes[0].config.name",
            "{\"nodes\": [{\"config\": {\"name\": \"A\", \"model\": {\"provider\": \"openai\", \"model\": \"m\"}}}, {\"config\": {\"name\": \"B\", \"model\": {\"provider\": \"cohere\", \"model\": \"m\"}}}, {}]} | agent_definition.nodes[1].config.model.provider",
            "{\"nodes\": [{\"config\": {\"name\": \"A\", \"model\": {\"provider\": \"openai\"}}}]} | agent_definition.nodes[0].config.model.model",
            "{\"nodes\": [{\"config\": {\"name\": \"A\", \"tools\": [\"x\", 3], \"model\": {\"provider\": \"openai\", \"model\": \"m\"}}}]} | agent_definition.nodes[0].config.tools[1]",
            "{\"nodes\": [{\"config\": {\"name\": \"A\", \"model\": {\"provider\": \"openai\", \"model\": \"m\"}}}, {\"config\": {\"name\": \"A\", \"model\": {\"provider\": \"openai\", \"model\": \"m\"}}}]} | agent_definition.nodes[1].id",
            "{\"tool_definitions\": [{\"runtime\": {}}], \"nodes\": []}                      | agent_definition.tool_definitions[0].name",
            "{\"nodes\": [{\"type\": \"orchestrator\", \"config\": {\"name\": \"A\", \"model\": {\"provider\": \"openai\", \"model\": \"m\"}}}, {\"id\": \"b\", \"type\": \"Orchestrator\", \"config\": {\"name\": \"B\", \"model\": {\"provider\": \"openai\", \"model\": \"m\"}}}]} | agent_definition.nodes[1].type",
    })
    void rejectionsNameTheField(String definition, String field) throws Exception {
        assertThatThrownBy(() -> DefinitionParser.parse(json(definition)))
                .isInstanceOfSatisfying(BadInput.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageStartingWith(field);
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }
}
