"""Generated from proto/kubegate (do not edit): messages and gRPC stubs."""
