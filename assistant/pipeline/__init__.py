"""The answer pipeline: contracts, the answer service and streaming."""
