"""Generated from proto/kubegate/v1 (do not edit)."""
