#!/usr/bin/env bash
# The demo driver (README.md "make demo"). Replaced as the pipeline stages land.
echo "demo: the pipeline is not assembled yet in this build" >&2
exit 1
