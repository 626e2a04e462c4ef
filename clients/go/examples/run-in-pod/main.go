// Command run-in-pod creates a pod, runs a command in it, prints the exit code and output, and deletes
// the pod; the client takes the API token from KUBEGATE_API_TOKEN:
//
//	KUBEGATE_API_TOKEN=$(cat <data-dir>/api-token) go run ./examples/run-in-pod 127.0.0.1:50051
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	kubegate "github.com/kubegate/kubegate/clients/go"
	pb "github.com/kubegate/kubegate/clients/go/gen/kubegate/v1"
)

func main() {
	target := "127.0.0.1:50051"
	if len(os.Args) > 1 {
		target = os.Args[1]
	}
	kg, err := kubegate.Dial(target)
	if err != nil {
		log.Fatal(err)
	}
	defer kg.Close()
	ctx := context.Background()
	spec := &pb.PodSpec{Name: "example", Image: "busybox:1.36", Command: []string{"sleep", "600"}}
	if _, err := kg.Pods.CreatePod(ctx, &pb.CreatePodRequest{Pod: spec}); err != nil {
		log.Fatal(err)
	}
	defer kg.Pods.DeletePod(ctx, &pb.DeletePodRequest{Name: "example"})
	if err := kg.WaitRunning(ctx, "", "example"); err != nil {
		log.Fatal(err)
	}
	res, err := kg.Run(ctx, "example", "sh", "-c", "echo hello; exit 3")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("exit %d: %q\n", res.ExitCode, res.Stdout)
}
