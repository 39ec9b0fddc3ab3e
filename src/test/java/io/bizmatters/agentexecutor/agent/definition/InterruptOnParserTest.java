package io.bizmatters.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.agent.Decision;
import io.bizmatters.agentexecutor.failure.BadInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** config.interrupt_on as deepagents writes it; which names are tools of the agent is the engine's check (ApprovalEngineTest). */
class InterruptOnParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AgentDefinition parse(String interruptOn) throws Exception {
        return DefinitionParser.parse((ObjectNode) JSON.readTree("""
                {"nodes": [{"id": "lead", "config": {"name": "Lead", "model": {"provider": "openai", "model": "m"},
                                                   "tools": ["deploy"], "interrupt_on": %s}}]}
                """.formatted(interruptOn)));
    }

    @Test
    void trueAllowsEveryDecisionFalseNoneAndAnObjectItsOwn() throws Exception {
        AgentDefinition definition = parse("""
                {"write_file": true, "read_file": false,
                 "deploy": {"allowed_decisions": ["approve", "reject", "approve"], "description": "goes live"},
                 "edit_file": {}}""");

        var policies = definition.orchestrator().interruptOn();
        assertThat(policies).containsOnlyKeys("write_file", "deploy", "edit_file");
        assertThat(policies.get("write_file").allowedDecisions()).containsExactly(Decision.Type.values());
        assertThat(policies.get("deploy").allowedDecisions()).containsExactly(Decision.Type.APPROVE, Decision.Type.REJECT);
        assertThat(policies.get("deploy").description()).isEqualTo("goes live");
        assertThat(policies.get("deploy").path()).isEqualTo("agent_definition.nodes[0].config.interrupt_on.deploy");
        assertThat(policies.get("edit_file").allowedDecisions()).containsExactly(Decision.Type.values());
    }

    @Test
    void aNodeWithoutInterruptOnNeedsNoApproval() throws Exception {
        AgentDefinition definition = DefinitionParser.parse((ObjectNode) JSON.readTree("""
                {"nodes": [{"config": {"name": "Lead", "model": {"provider": "openai", "model": "m"}}}]}"""));
        assertThat(definition.orchestrator().interruptOn()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[\"deploy\"]                                          | agent_definition.nodes[0].config.interrupt_on",
            "{\"deploy\": \"yes\"}                                 | agent_definition.nodes[0].config.interrupt_on.deploy",
            "{\"deploy\": {\"allowed_decisions\": []}}             | agent_definition.nodes[0].config.interrupt_on.deploy.allowed_decisions",
            "{\"deploy\": {\"allowed_decisions\": \"approve\"}}    | agent_definition.nodes[0].config.interrupt_on.deploy.allowed_decisions",
            "{\"deploy\": {\"allowed_decisions\": [\"approve\", \"respond\"]}} | agent_definition.nodes[0].config.interrupt_on.deploy.allowed_decisions[1]",
            "{\"deploy\": {\"description\": 7}}                    | agent_definition.nodes[0].config.interrupt_on.deploy.description"})
    void aMalformedEntryIsBadInputNamingItsPath(String interruptOn, String field) {
        assertThatThrownBy(() -> parse(interruptOn))
                .isInstanceOf(BadInput.class)
                .satisfies(e -> assertThat(((BadInput) e).field()).isEqualTo(field))
                .hasMessageStartingWith(field);
    }
}
