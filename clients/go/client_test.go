package kubegate_test

// The Go client against a live kubegate on the embedded cluster, started by the test with a fresh API
// token that the client takes from KUBEGATE_API_TOKEN: a pod watched until it runs, unary exec with exit
// code 3, the bidirectional exec stream (stdin echoed, exit code), a followed log, deletion, NOT_FOUND as a
// gRPC status error, and UNAUTHENTICATED for a wrong token passed in code.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	kubegate "github.com/kubegate/kubegate/clients/go"
	pb "github.com/kubegate/kubegate/clients/go/gen/kubegate/v1"
)

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// machineVariables are what kubegate reads of the machine besides KUBEGATE_*: the kubegate under test
// gets none of them.
var machineVariables = map[string]bool{"KUBECONFIG": true, "XDG_STATE_HOME": true, "KUBERNETES_SERVICE_HOST": true,
	"KUBERNETES_SERVICE_PORT": true, "POD_NAMESPACE": true, "POD_NAME": true, "NODE_EXTRA_CA_CERTS": true,
	"OTEL_EXPORTER_OTLP_ENDPOINT": true, "RUST_LOG": true}

// hermeticEnv is this process's environment without the caller's KUBEGATE_* settings, KUBECONFIG or home:
// home is HOME and the default kubeconfig (/workspace/.kube/kubeconfig otherwise) is looked for inside it.
func hermeticEnv(home string) []string {
	var env []string
	for _, entry := range os.Environ() {
		name, _, _ := strings.Cut(entry, "=")
		if !strings.HasPrefix(name, "KUBEGATE_") && !machineVariables[name] && name != "HOME" {
			env = append(env, entry)
		}
	}
	return append(env, "HOME="+home, "KUBEGATE_DEFAULT_KUBECONFIG="+filepath.Join(home, ".kube", "kubeconfig"))
}

// startKubegate starts kubegate with a fresh API token in its KUBEGATE_API_TOKEN and sets the same
// variable for the test's clients (restored when the test ends).
func startKubegate(t *testing.T) string {
	binary := os.Getenv("KUBEGATE_BIN")
	if binary == "" {
		binary = filepath.Join("..", "..", "target", "debug", "kubegate")
	}
	random := make([]byte, 32)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}
	token := hex.EncodeToString(random)
	grpcAddr := freePort(t)
	home := t.TempDir()
	cmd := exec.Command(binary, "serve", "--embedded-cluster", "--data-dir", filepath.Join(home, "data"),
		"--grpc-addr", grpcAddr, "--http-addr", freePort(t), "--terminal-addr", freePort(t))
	cmd.Env = append(hermeticEnv(home), kubegate.TokenVariable+"="+token)
	cmd.Stderr = os.Stderr
	t.Setenv(kubegate.TokenVariable, token)
	if err := cmd.Start(); err != nil {
		t.Fatalf("kubegate does not start (build it first): %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	return grpcAddr
}

func TestTheGoClientAgainstKubegate(t *testing.T) {
	addr := startKubegate(t)
	kg, err := kubegate.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer kg.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i := 0; ; i++ {
		if _, err := kg.Pods.ListPods(ctx, &pb.ListPodsRequest{}); err == nil {
			break
		} else if i > 300 {
			t.Fatalf("kubegate did not start: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	spec := &pb.PodSpec{Name: "go-client", Image: "busybox:1.36",
		Command: []string{"sh", "-c", "for i in 1 2 3; do echo line-$i; sleep 0.2; done; sleep 600"}}
	if _, err := kg.Pods.CreatePod(ctx, &pb.CreatePodRequest{Pod: spec}); err != nil {
		t.Fatal(err)
	}
	if err := kg.WaitRunning(ctx, "", "go-client"); err != nil {
		t.Fatal(err)
	}

	res, err := kg.Run(ctx, "go-client", "sh", "-c", "echo out; echo err >&2; exit 3")
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 3 || string(res.Stdout) != "out\n" || string(res.Stderr) != "err\n" {
		t.Fatalf("unexpected result %+v", res)
	}

	session, err := kg.Start(ctx, &pb.ExecStart{Pod: "go-client", Command: []string{"cat"}, Stdin: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := session.Send([]byte("hello over the stream\n")); err != nil {
		t.Fatal(err)
	}
	if err := session.CloseStdin(); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	code, err := session.Wait(&out, &errs)
	if err != nil || code != 0 || out.String() != "hello over the stream\n" || session.SessionID == "" {
		t.Fatalf("stream: code %d err %v out %q session %q", code, err, out.String(), session.SessionID)
	}

	logs, err := kg.Pods.FollowPodLogs(ctx, &pb.FollowPodLogsRequest{Name: "go-client"})
	if err != nil {
		t.Fatal(err)
	}
	var followed strings.Builder
	for !strings.Contains(followed.String(), "line-3\n") {
		msg, err := logs.Recv()
		if err != nil {
			t.Fatalf("log follow: %v (so far %q)", err, followed.String())
		}
		followed.Write(msg.GetData())
	}
	if !strings.HasPrefix(followed.String(), "line-1\nline-2\n") {
		t.Fatalf("log %q", followed.String())
	}

	zero := int64(0)
	if _, err := kg.Pods.DeletePod(ctx, &pb.DeletePodRequest{Name: "go-client", GracePeriodSeconds: &zero}); err != nil {
		t.Fatal(err)
	}
	_, err = kg.Pods.GetPod(ctx, &pb.GetPodRequest{Name: "go-client-nowhere"})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("expected NotFound, got %v", err)
	}

	// A token passed in code wins over the environment's: a wrong one is refused.
	wrong, err := kubegate.Dial(addr, kubegate.WithToken(strings.Repeat("0", 64)))
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if _, err := wrong.Pods.ListPods(ctx, &pb.ListPodsRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("expected Unauthenticated for a wrong token, got %v", err)
	}
}
