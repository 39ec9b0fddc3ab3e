package io.bizmatters.agentexecutor.agent.tools.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bizmatters.agentexecutor.testsupport.PythonServiceDefinition;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PythonToolSignatureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PythonToolSignature read(String script, String toolName) {
        return PythonToolSignature.read(script, toolName).orElseThrow();
    }

    private static void assertSchema(PythonToolSignature signature, String expectedJson) throws IOException {
        assertThat((JsonNode) JSON.valueToTree(signature.parameters())).isEqualTo(JSON.readTree(expectedJson));
    }

    @Test
    void generateDiffOfThePythonTestDefinition() throws IOException {
        PythonToolSignature signature = read(PythonServiceDefinition.toolScript("generate_diff"), "generate_diff");

        assertThat(signature.functionName()).isEqualTo("generate_diff");
        assertThat(signature.description()).isEqualTo("Generate unified diff between original and new content.");
        assertSchema(signature, """
                {"type":"object","properties":{"original":{"type":"string"},"new":{"type":"string"}},
                 "required":["original","new"]}""");
    }

    @Test
    void proposeChangesHidesTheInjectedRuntimeAndKeepsTheDefault() throws IOException {
        PythonToolSignature signature = read(PythonServiceDefinition.toolScript("propose_changes"), "propose_changes");

        assertThat(signature.description()).isEqualTo("Update proposed_changes state incrementally.");
        assertSchema(signature, """
                {"type":"object","properties":{"path":{"type":"string"},"diff":{"type":"string"},
                  "action":{"type":"string","description":"Default: \\"update\\"."}},
                 "required":["path","diff"]}""");
    }

    @Test
    void validateDefinitionTakesAnObject() throws IOException {
        PythonToolSignature signature = read(PythonServiceDefinition.toolScript("validate_definition"), "validate_definition");

        assertThat(signature.description()).isEqualTo("Validates a definition.json object against the master schema.");
        assertSchema(signature, """
                {"type":"object","properties":{"workflow_definition":{"type":"object"}},
                 "required":["workflow_definition"]}""");
    }

    @Test
    void finalizeCompilationTakesAnObject() throws IOException {
        PythonToolSignature signature = read(PythonServiceDefinition.toolScript("finalize_compilation"), "finalize_compilation");

        assertThat(signature.description())
                .isEqualTo("Finalizes compilation by returning a Command to update the definition state.");
        assertSchema(signature, """
                {"type":"object","properties":{"definition":{"type":"object"}},"required":["definition"]}""");
    }

    @Test
    void genericsOptionalsUnionsLiteralsAndAnnotated() throws IOException {
        String script = """
                import typing
                from typing import Annotated, Dict, List, Literal, Optional, Union
                from langchain_core.tools import tool, InjectedToolCallId

                @tool
                def search(
                    query: str,  # what to look for, (not a parameter)
                    tags: List[str],
                    limits: typing.Dict[str, List[int]],
                    scores: list[float] | None = None,
                    depth: Optional[int] = 2,
                    mode: Literal["fast", "exact"] = "fast",
                    strict: bool = False,
                    matrix: List[List[int]] = [],
                    either: Union[int, str] = 0,
                    note: Annotated[str, "a note for the log"] = "",
                    tool_call_id: Annotated[str, InjectedToolCallId] = "",
                    *args,
                    **kwargs,
                ) -> Dict[str, int]:
                    '''Search the index.'''
                    return {}
                """;

        assertSchema(read(script, "search"), """
                {"type":"object","properties":{
                   "query":{"type":"string"},
                   "tags":{"type":"array","items":{"type":"string"}},
                   "limits":{"type":"object"},
                   "scores":{"type":"array","items":{"type":"number"}},
                   "depth":{"type":"integer","description":"Default: 2."},
                   "mode":{"type":"string","enum":["fast","exact"],"description":"Default: \\"fast\\"."},
                   "strict":{"type":"boolean","description":"Default: False."},
                   "matrix":{"type":"array","items":{"type":"array","items":{"type":"integer"}},"description":"Default: []."},
                   "either":{"anyOf":[{"type":"integer"},{"type":"string"}],"description":"Default: 0."},
                   "note":{"type":"string","description":"a note for the log Default: \\"\\"."}},
                 "required":["query","tags","limits"]}""");
    }

    @Test
    void googleStyleDocstringDescribesToolAndArguments() throws IOException {
        String script = """
                from langchain_core.tools import tool

                def helper(x):
                    return x

                @tool("lookup_customer", parse_docstring=True)
                async def find(customer_id: int, fields: list = None, verbose=False) -> str:
                    \"\"\"Find a customer record
                    by its id.

                    Reads the CRM read replica.

                    Args:
                        customer_id (int): The CRM id of the customer.
                        fields: Which fields to return;
                            all of them when left out.
                        verbose: Include audit data.

                    Returns:
                        customer_id: not an argument description.
                    \"\"\"
                    return ""
                """;

        PythonToolSignature signature = read(script, "lookup_customer");

        assertThat(signature.functionName()).isEqualTo("find");
        assertThat(signature.description()).isEqualTo("Find a customer record by its id.");
        assertSchema(signature, """
                {"type":"object","properties":{
                   "customer_id":{"type":"integer","description":"The CRM id of the customer."},
                   "fields":{"type":"array","description":"Which fields to return; all of them when left out."},
                   "verbose":{"description":"Include audit data. Default: False."}},
                 "required":["customer_id"]}""");
    }

    @Test
    void noDocstringAndNoHintsStillNameEveryParameter() throws IOException {
        PythonToolSignature signature = read("""
                @tool
                def ping(host, count=3):
                    return host
                """, "ping");

        assertThat(signature.description()).isNull();
        assertSchema(signature, """
                {"type":"object","properties":{"host":{},"count":{"description":"Default: 3."}},"required":["host"]}""");
    }

    @Test
    void aPlaceholderScriptHasNoSignature() {
        assertThat(PythonToolSignature.read("loaded from tools/generate_diff.py file", "generate_diff")).isEmpty();
        assertThat(PythonToolSignature.read(null, "generate_diff")).isEmpty();
    }

    @Test
    void aTypeHintNestedBeyondTheBoundIsBadInputNamingTheToolNotAStackOverflow() {
        String hint = "list[".repeat(10_000) + "int" + "]".repeat(10_000);
        String script = "@tool\ndef deep(x: " + hint + ") -> int:\n    return 0\n";

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PythonToolSignature.read(script, "deep"))
                .isInstanceOfSatisfying(io.bizmatters.agentexecutor.failure.BadInput.class, e -> {
                    assertThat(e.field()).isEqualTo("agent_definition.tool_definitions[name='deep'].runtime.script");
                    assertThat(e.getMessage()).contains("parameter 'x'", "deeper than 32 levels");
                });
    }

    @Test
    void aRealisticallyNestedHintIsStillRead() {
        String script = "@tool\ndef fine(x: dict[str, list[list[int]]]) -> int:\n    return 0\n";

        assertThat(PythonToolSignature.read(script, "fine")).isPresent();
    }
}
