package dev.kubegate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubegate.v1.CreatePodRequest;
import dev.kubegate.v1.DeletePodRequest;
import dev.kubegate.v1.FollowPodLogsRequest;
import dev.kubegate.v1.GetPodRequest;
import dev.kubegate.v1.ListPodsRequest;
import dev.kubegate.v1.PodSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client against a live kubegate on the embedded cluster, started by the test with a fresh API
 * token that the client takes from KUBEGATE_API_TOKEN: a pod watched until it runs, unary exec with exit
 * code 3, the bidirectional stream (stdin echoed, exit code), a followed log, deletion, NOT_FOUND as a
 * StatusRuntimeException, and UNAUTHENTICATED for a wrong token passed in code.
 */
class KubegateTest {
  /** What kubegate reads of the machine besides KUBEGATE_*: the kubegate under test gets none of it. */
  private static final Set<String> MACHINE_VARIABLES = Set.of("KUBECONFIG", "XDG_STATE_HOME",
      "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "POD_NAMESPACE", "POD_NAME", "NODE_EXTRA_CA_CERTS",
      "OTEL_EXPORTER_OTLP_ENDPOINT", "RUST_LOG");
  private static Process kubegate;
  private static String target;

  /**
   * Sets (or, with null, removes) a variable in this JVM's own environment, as {@code System.getenv} sees
   * it: Java has no API for that, so this reaches into the map behind {@code System.getenv()} (surefire
   * opens java.util for it, see pom.xml).
   */
  @SuppressWarnings("unchecked")
  private static void setEnvironment(String name, String value) throws ReflectiveOperationException {
    Map<String, String> view = System.getenv();
    var field = view.getClass().getDeclaredField("m");
    field.setAccessible(true);
    Map<String, String> environment = (Map<String, String>) field.get(view);
    if (value == null) {
      environment.remove(name);
    } else {
      environment.put(name, value);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    String binary = System.getenv().getOrDefault("KUBEGATE_BIN", "../../target/debug/kubegate");
    Path data = Files.createTempDirectory("kubegate-java-");
    int grpc = freePort();
    target = "127.0.0.1:" + grpc;
    // The service and the clients of this JVM share one fresh token, through the environment only.
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    ProcessBuilder serve = new ProcessBuilder(binary, "serve", "--embedded-cluster", "--data-dir",
        data.resolve("data").toString(), "--grpc-addr", target, "--http-addr", "127.0.0.1:" + freePort(),
        "--terminal-addr", "127.0.0.1:" + freePort());
    // None of the caller's KUBEGATE_* settings, KUBECONFIG or home: the test's directory is HOME and the
    // default kubeconfig (/workspace/.kube/kubeconfig otherwise) is looked for inside it.
    Map<String, String> environment = serve.environment();
    environment.keySet().removeIf(name -> name.startsWith("KUBEGATE_") || MACHINE_VARIABLES.contains(name));
    environment.put("HOME", data.toString());
    environment.put("KUBEGATE_DEFAULT_KUBECONFIG", data.resolve(".kube").resolve("kubeconfig").toString());
    environment.put(Kubegate.TOKEN_VARIABLE, token);
    kubegate = serve.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    setEnvironment(Kubegate.TOKEN_VARIABLE, token);
    try (Kubegate kg = new Kubegate(target)) {
      for (int i = 0; ; i++) {
        try {
          kg.pods.listPods(ListPodsRequest.getDefaultInstance());
          return;
        } catch (StatusRuntimeException e) {
          if (i > 300) throw e;
          Thread.sleep(100);
        }
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    setEnvironment(Kubegate.TOKEN_VARIABLE, null);
    kubegate.destroy();
    kubegate.waitFor();
  }

  @Test
  void podsExecStreamsAndLogs() throws Exception {
    try (Kubegate kg = new Kubegate(target)) {
      kg.pods.createPod(CreatePodRequest.newBuilder().setPod(PodSpec.newBuilder().setName("java-client")
          .setImage("busybox:1.36").addCommand("sh").addCommand("-c")
          .addCommand("for i in 1 2 3; do echo line-$i; sleep 0.2; done; sleep 600")).build());
      kg.waitRunning("java-client", 60);

      Kubegate.Result r = kg.run("java-client", "sh", "-c", "echo out; echo err >&2; exit 3");
      assertEquals(3, r.exitCode());
      assertEquals("out\n", new String(r.stdout(), StandardCharsets.UTF_8));
      assertEquals("err\n", new String(r.stderr(), StandardCharsets.UTF_8));

      Kubegate.Session session = kg.session("java-client", true, "cat");
      session.send("hello over the stream\n".getBytes(StandardCharsets.UTF_8));
      session.closeStdin();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertEquals(0, session.await(out, 30));
      assertEquals("hello over the stream\n", out.toString(StandardCharsets.UTF_8));
      assertFalse(session.sessionId().isEmpty());

      StringBuilder followed = new StringBuilder();
      var logs = kg.pods.followPodLogs(FollowPodLogsRequest.newBuilder().setName("java-client").build());
      while (!followed.toString().contains("line-3\n") && logs.hasNext()) {
        followed.append(logs.next().getData().toString(StandardCharsets.UTF_8));
      }
      assertTrue(followed.toString().startsWith("line-1\nline-2\n"), followed.toString());

      kg.pods.deletePod(DeletePodRequest.newBuilder().setName("java-client").setGracePeriodSeconds(0).build());
      StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
          () -> kg.pods.getPod(GetPodRequest.newBuilder().setName("java-client-nowhere").build()));
      assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    }
  }

  @Test
  void aWrongTokenPassedInCodeWinsOverTheEnvironmentAndIsRefused() throws Exception {
    try (Kubegate wrong = new Kubegate(target, "0".repeat(64))) {
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
          () -> wrong.pods.listPods(ListPodsRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
    }
  }
}
