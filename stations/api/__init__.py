"""HTTP layer: thin routes that parse, call a service and shape the reply."""
