"""In-process fake of the Discord REST API and gateway, used by e2e tests, benchmarks and the sandbox."""
