package io.bizmatters.agentexecutor.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import io.bizmatters.agentexecutor.agent.definition.DeclaredTool;
import io.bizmatters.agentexecutor.failure.InfrastructureFault;
import io.bizmatters.agentexecutor.failure.JobFailure;
import io.bizmatters.agentexecutor.testsupport.PythonServiceDefinition;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped YAML tool routes, plus test routes, in a real CamelContext. */
class CamelToolCatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BoundTool.CallContext CALLER = new BoundTool.CallContext("job-7", "trace-7", "call-7");

    private static DefaultCamelContext camel;
    private static CamelToolCatalog catalog;

    @BeforeAll
    static void startCamel() throws Exception {
        camel = new DefaultCamelContext();
        for (String pattern : List.of("classpath:routes/tools/*.camel.yaml", "classpath:test-tool-routes/*.camel.yaml")) {
            List<Resource> routes = List.copyOf(PluginHelper.getPackageScanResourceResolver(camel).findResources(pattern));
            assertThat(routes).isNotEmpty();
            PluginHelper.getRoutesLoader(camel).loadRoutes(routes);
        }
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:tool.caller_ids").description("Echoes who called.")
                        .setBody(simple("${header.jobId} ${header.traceId} ${header.toolCallId} ${body[x]}"));
                from("direct:tool.database_down").process(exchange -> {
                    throw new InfrastructureFault("postgres", "connection refused", null);
                });
                from("direct:tool.slow_backend").process(exchange -> Thread.sleep(60_000));
            }
        });
        camel.start();
        catalog = new CamelToolCatalog(() -> camel, List.of(builtIn("shout", "SHOUTED"), builtIn("word_count", "never")));
    }

    @AfterAll
    static void stopCamel() {
        camel.stop();
    }

    private static BoundTool builtIn(String name, String answer) {
        return new BoundTool(ToolSpecification.builder().name(name).description("built-in " + name).build(),
                (context, arguments) -> answer);
    }

    private static JsonNode parametersOf(BoundTool tool) {
        return JSON.valueToTree(JsonSchemaElementJsonUtils.toMap(tool.specification().parameters()));
    }

    @Test
    void theExampleRouteIsResolvedWithItsDeclaredContractAndCountsWords() throws IOException {
        BoundTool wordCount = catalog.resolve(List.of(new DeclaredTool("word_count", null))).get("word_count");

        assertThat(wordCount.specification().description()).startsWith("Counts the words in a text");
        assertThat(parametersOf(wordCount)).isEqualTo(JSON.readTree("""
                {"type":"object","properties":{"text":{"type":"string","description":"The text whose words are counted."}},
                 "required":["text"]}"""));
        assertThat(wordCount.invocation().invoke(CALLER, "{\"text\":\"  three  small\\nwords \"}")).isEqualTo("3");
        assertThat(wordCount.invocation().invoke(CALLER, "{\"text\":\"   \"}")).isEqualTo("0");
    }

    @Test
    void aPythonScriptToolIsDescribedByItsSignatureAndCallsTheRouteOfItsName() throws IOException {
        BoundTool diff = catalog.resolve(List.of(new DeclaredTool("generate_diff", PythonServiceDefinition.toolScript("generate_diff"))))
                .get("generate_diff");

        assertThat(diff.specification().description()).isEqualTo("Generate unified diff between original and new content.");
        assertThat(parametersOf(diff)).isEqualTo(JSON.readTree("""
                {"type":"object","properties":{"original":{"type":"string"},"new":{"type":"string"}},
                 "required":["original","new"]}"""));
        assertThat(diff.invocation().invoke(CALLER, "{\"original\":\"a\",\"new\":\"b\"}"))
                .isEqualTo("diff of a and b for job job-7");
    }

    @Test
    void theOperatorsDeclarationWinsOverThePythonScript() {
        String script = """
                @tool
                def word_count(words: list, language: str) -> int:
                    \"\"\"Something else entirely.\"\"\"
                """;
        ToolSpecification spec = catalog.resolve(List.of(new DeclaredTool("word_count", script))).get("word_count")
                .specification();

        assertThat(spec.description()).startsWith("Counts the words in a text");
        assertThat(spec.parameters().properties()).containsOnlyKeys("text");
    }

    @Test
    void builtInsResolveWhenNoRouteHasTheirNameAndRoutesWinOverThem() {
        Map<String, BoundTool> tools = catalog.resolve(List.of(new DeclaredTool("shout", null),
                new DeclaredTool("word_count", null)));

        assertThat(tools.get("shout").invocation().invoke(CALLER, "{}")).isEqualTo("SHOUTED");
        assertThat(tools.get("word_count").invocation().invoke(CALLER, "{\"text\":\"one\"}")).isEqualTo("1");
    }

    @Test
    void everyUnresolvedToolIsNamedInOneFailure() {
        List<DeclaredTool> tools = List.of(new DeclaredTool("word_count", null), new DeclaredTool("propose_changes", "x"),
                new DeclaredTool("tool.*|executeAgent", null), new DeclaredTool("finalize_compilation", null));

        assertThatThrownBy(() -> catalog.resolve(tools))
                .isInstanceOf(JobFailure.class)
                .hasMessageContaining("propose_changes, tool.*|executeAgent, finalize_compilation")
                .hasMessageNotContaining("word_count");
    }

    @Test
    void theRouteReceivesTheCallersIdsAsHeaders() {
        BoundTool tool = catalog.resolve(List.of(new DeclaredTool("caller_ids", null))).get("caller_ids");

        assertThat(tool.invocation().invoke(CALLER, "{\"x\":42}")).isEqualTo("job-7 trace-7 call-7 42");
    }

    @Test
    void aFailingRouteOrBadArgumentsAreToldToTheModel() {
        BoundTool broken = catalog.resolve(List.of(new DeclaredTool("broken_tool", null))).get("broken_tool");

        assertThat(broken.invocation().invoke(CALLER, "{\"id\":\"A-1\"}"))
                .isEqualTo("tool broken_tool failed: backend said no to A-1");
        assertThat(broken.invocation().invoke(CALLER, "[1, 2"))
                .startsWith("tool broken_tool failed: its arguments must be a JSON object");
    }

    @Test
    void anInfrastructureFaultInsideTheRouteFailsTheCall() {
        BoundTool tool = catalog.resolve(List.of(new DeclaredTool("database_down", null))).get("database_down");

        assertThatThrownBy(() -> tool.invocation().invoke(CALLER, "{}"))
                .isInstanceOf(InfrastructureFault.class)
                .hasMessage("connection refused");
    }

    @Test
    void aJobInterruptedWhileItsToolRunsGetsNoToolResult() throws Exception {
        BoundTool tool = catalog.resolve(List.of(new DeclaredTool("slow_backend", null))).get("slow_backend");
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread job = Thread.ofVirtual().start(() -> {
            try {
                outcome.set(new AssertionError("returned " + tool.invocation().invoke(CALLER, "{}")));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        Thread.sleep(200);
        job.interrupt();
        job.join(Duration.ofSeconds(10));

        // A "tool failed" text would be checkpointed as the tool's answer beside the pod that resumes the job.
        assertThat(outcome.get()).isInstanceOf(InfrastructureFault.class).hasMessageContaining("slow_backend");
    }
}
