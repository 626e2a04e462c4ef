package dev.kubegate.examples;

import dev.kubegate.client.Kubegate;
import dev.kubegate.v1.CreatePodRequest;
import dev.kubegate.v1.DeletePodRequest;
import dev.kubegate.v1.PodSpec;
import java.nio.charset.StandardCharsets;

/**
 * Creates a pod, runs a command in it, prints the exit code and output, deletes the pod. The client takes
 * the API token from KUBEGATE_API_TOKEN.
 */
public final class RunInPod {
  private RunInPod() {}

  public static void main(String[] args) throws Exception {
    String target = args.length > 0 ? args[0] : "127.0.0.1:50051";
    try (Kubegate kg = new Kubegate(target)) {
      kg.pods.createPod(CreatePodRequest.newBuilder().setPod(PodSpec.newBuilder()
          .setName("example").setImage("busybox:1.36").addCommand("sleep").addCommand("600")).build());
      try {
        kg.waitRunning("example", 60);
        Kubegate.Result r = kg.run("example", "sh", "-c", "echo hello; exit 3");
        System.out.println("exit " + r.exitCode() + ": " + new String(r.stdout(), StandardCharsets.UTF_8));
      } finally {
        kg.pods.deletePod(DeletePodRequest.newBuilder().setName("example").build());
      }
    }
  }
}
