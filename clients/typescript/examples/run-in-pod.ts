// Creates a pod, runs a command in it, prints the exit code and output, deletes the pod.
//   KUBEGATE_API_TOKEN=$(cat <data-dir>/api-token) npm run example -- http://127.0.0.1:50051
// The client takes the API token from KUBEGATE_API_TOKEN.
import { connect } from "../src/index.js";

const kg = connect({ baseUrl: process.argv[2] ?? "http://127.0.0.1:50051" });
await kg.pods.createPod({ pod: { name: "example", image: "busybox:1.36", command: ["sleep", "600"] } });
try {
  const answer = await kg.exec.exec({ pod: "example", command: ["sh", "-c", "echo hello; exit 3"] });
  console.log(`exit ${answer.exitCode}: ${new TextDecoder().decode(answer.stdout)}`);
} finally {
  await kg.pods.deletePod({ name: "example" });
}
