package io.bizmatters.agentexecutor.cloudevents;

import io.bizmatters.agentexecutor.failure.JobFailure;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackTracesTest {

    /** A failure born in a bean method Camel calls by reflection on a pool thread, wrapped where it is caught. */
    @Test
    void keepsTheCausesOwnFramesOnceAndDropsReflectionAndThreadPlumbing() throws Exception {
        Throwable failure;
        try (ExecutorService pool = Executors.newFixedThreadPool(1)) {
            Future<Object> task = pool.submit(() -> {
                try {
                    return StackTracesTest.class.getDeclaredMethod("reportedByABean").invoke(null);
                } catch (InvocationTargetException e) {
                    throw wrapped(e.getCause());
                }
            });
            failure = assertThatThrownBy(task::get).isInstanceOf(ExecutionException.class).actual().getCause();
        }

        String trace = StackTraces.of(failure);

        assertThat(trace).startsWith(JobFailure.class.getName() + ": the tool broke\n")
                .contains("Caused by: java.lang.IllegalArgumentException: the tool broke")
                .contains("StackTracesTest.failingTool(", "StackTracesTest.reportedByABean(")
                .doesNotContain("java.lang.reflect.", "jdk.internal.reflect.", "ThreadPoolExecutor", "java.lang.Thread.run")
                .contains("framework frames omitted", "frames in common with the above");
        // The frames the cause shares with its wrapper are listed once, under the wrapper.
        assertThat(trace.split("FutureTask.run", -1)).hasSize(2);
    }

    private static JobFailure wrapped(Throwable cause) {
        return JobFailure.unforeseen(cause.getMessage(), cause);
    }

    static void reportedByABean() {
        failingTool();
    }

    private static void failingTool() {
        throw new IllegalArgumentException("the tool broke");
    }
}
