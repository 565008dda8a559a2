"""Rules of category `oom`: memory, materialized I/O and driver-pod sizing."""
