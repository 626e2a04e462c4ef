// Package kubegate is the Go client of kubegate: the generated messages and gRPC stubs (package
// github.com/kubegate/kubegate/clients/go/gen/kubegate/v1) and a thin convenience layer.
//
//	kg, err := kubegate.Dial("127.0.0.1:50051")               // token: WithToken, else $KUBEGATE_API_TOKEN
//	res, err := kg.Run(ctx, "my-pod", "sh", "-c", "exit 3")   // res.ExitCode == 3
//
// Errors are gRPC status errors: status.Code(err) == codes.NotFound, and so on.
package kubegate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	pb "github.com/kubegate/kubegate/clients/go/gen/kubegate/v1"
)

// Client holds one stub per service over one connection.
type Client struct {
	Conn      *grpc.ClientConn
	Pods      pb.PodServiceClient
	Exec      pb.ExecServiceClient
	Network   pb.NetworkServiceClient
	Cluster   pb.ClusterServiceClient
	Workflows pb.WorkflowServiceClient
}

type options struct {
	token string
	extra []grpc.DialOption
}

// Option configures Dial.
type Option func(*options)

// TokenVariable is the environment variable Dial takes the API token from when WithToken gives none.
const TokenVariable = "KUBEGATE_API_TOKEN"

// WithToken sends the API token with every call; it wins over $KUBEGATE_API_TOKEN (an empty token is no
// token: the environment's is used).
func WithToken(token string) Option { return func(o *options) { o.token = token } }

// WithDialOptions adds gRPC dial options (for example TLS credentials).
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(o *options) { o.extra = append(o.extra, opts...) }
}

type bearer string

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(b)}, nil
}
func (bearer) RequireTransportSecurity() bool { return false }

// Dial connects to kubegate's gRPC address (host:port), in plain text unless options say otherwise.
// Every call carries the API token given by WithToken, else the one in $KUBEGATE_API_TOKEN, if any.
func Dial(target string, opts ...Option) (*Client, error) {
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	if o.token == "" {
		o.token = os.Getenv(TokenVariable)
	}
	o.token = strings.TrimSpace(o.token)
	dial := []grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64 << 20)),
	}
	if o.token != "" {
		dial = append(dial, grpc.WithPerRPCCredentials(bearer(o.token)))
	}
	conn, err := grpc.NewClient(target, append(dial, o.extra...)...)
	if err != nil {
		return nil, err
	}
	return &Client{
		Conn:      conn,
		Pods:      pb.NewPodServiceClient(conn),
		Exec:      pb.NewExecServiceClient(conn),
		Network:   pb.NewNetworkServiceClient(conn),
		Cluster:   pb.NewClusterServiceClient(conn),
		Workflows: pb.NewWorkflowServiceClient(conn),
	}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.Conn.Close() }

// Result is the outcome of a one-shot command.
type Result struct {
	ExitCode int32
	Stdout   []byte
	Stderr   []byte
}

// Run runs a command in a pod to its end.
func (c *Client) Run(ctx context.Context, pod string, argv ...string) (Result, error) {
	res, err := c.Exec.Exec(ctx, &pb.ExecRequest{Pod: pod, Command: argv})
	if err != nil {
		return Result{}, err
	}
	return Result{ExitCode: res.GetExitCode(), Stdout: res.GetStdout(), Stderr: res.GetStderr()}, nil
}

// Session is an interactive command: Send input, Recv events until the exit event.
type Session struct {
	stream    pb.ExecService_ExecStreamClient
	SessionID string
}

// Start starts an interactive command; an empty argv is a shell.
func (c *Client) Start(ctx context.Context, start *pb.ExecStart) (*Session, error) {
	stream, err := c.Exec.ExecStream(ctx)
	if err != nil {
		return nil, err
	}
	if err := stream.Send(&pb.ExecStreamRequest{Kind: &pb.ExecStreamRequest_Start{Start: start}}); err != nil {
		return nil, err
	}
	return &Session{stream: stream}, nil
}

func (s *Session) input(in *pb.ExecInput) error {
	return s.stream.Send(&pb.ExecStreamRequest{Kind: &pb.ExecStreamRequest_Input{Input: in}})
}

// Send writes bytes to the command's stdin.
func (s *Session) Send(data []byte) error {
	return s.input(&pb.ExecInput{Kind: &pb.ExecInput_Stdin{Stdin: data}})
}

// CloseStdin ends the command's stdin.
func (s *Session) CloseStdin() error {
	return s.input(&pb.ExecInput{Kind: &pb.ExecInput_CloseStdin{CloseStdin: true}})
}

// Resize sets the terminal size.
func (s *Session) Resize(cols, rows uint32) error {
	return s.input(&pb.ExecInput{Kind: &pb.ExecInput_Resize{Resize: &pb.TerminalSize{Cols: cols, Rows: rows}}})
}

// ErrEnded is returned by Wait when the command ended without an exit code (terminated, timed out).
var ErrEnded = errors.New("the command ended without an exit code")

// Wait copies output to stdout and stderr until the command ends, and returns its exit code.
func (s *Session) Wait(stdout, stderr io.Writer) (int32, error) {
	for {
		res, err := s.stream.Recv()
		if err != nil {
			return 0, err
		}
		switch kind := res.GetEvent().GetKind().(type) {
		case *pb.ExecEvent_Started:
			s.SessionID = kind.Started.GetSessionId()
		case *pb.ExecEvent_Stdout:
			if _, err := stdout.Write(kind.Stdout.GetData()); err != nil {
				return 0, err
			}
		case *pb.ExecEvent_Stderr:
			if _, err := stderr.Write(kind.Stderr.GetData()); err != nil {
				return 0, err
			}
		case *pb.ExecEvent_Exit:
			_ = s.stream.CloseSend()
			if kind.Exit.GetReason() != pb.ExecEndReason_EXEC_END_REASON_EXITED {
				return 0, fmt.Errorf("%w: %s %s", ErrEnded, kind.Exit.GetReason(), kind.Exit.GetMessage())
			}
			return kind.Exit.GetExitCode(), nil
		}
	}
}

// WaitRunning watches until the pod runs.
func (c *Client) WaitRunning(ctx context.Context, namespace, pod string) error {
	watch, err := c.Pods.WatchPods(ctx, &pb.WatchPodsRequest{Namespace: namespace, SendInitialPods: true})
	if err != nil {
		return err
	}
	for {
		event, err := watch.Recv()
		if err != nil {
			return err
		}
		p := event.GetPod()
		if p.GetName() != pod {
			continue
		}
		switch p.GetPhase() {
		case pb.PodPhase_POD_PHASE_RUNNING:
			return nil
		case pb.PodPhase_POD_PHASE_SUCCEEDED, pb.PodPhase_POD_PHASE_FAILED:
			return fmt.Errorf("pod %s ended before it ran", pod)
		}
	}
}
