// Creates a pod, runs a command in it, prints the exit code and output, deletes the pod.
//   npm run example -- http://127.0.0.1:50051
import { connect } from "../src/index.js";

const kg = connect({ baseUrl: process.argv[2] ?? "http://127.0.0.1:50051", token: process.env.KUBEGATE_API_TOKEN });
await kg.pods.createPod({ pod: { name: "example", image: "busybox:1.36", command: ["sleep", "600"] } });
try {
  const answer = await kg.exec.exec({ pod: "example", command: ["sh", "-c", "echo hello; exit 3"] });
  console.log(`exit ${answer.exitCode}: ${new TextDecoder().decode(answer.stdout)}`);
} finally {
  await kg.pods.deletePod({ name: "example" });
}
