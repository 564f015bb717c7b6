"""The recorder: record a take, see and hear it, check it for enrollment."""
