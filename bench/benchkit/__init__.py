"""Helpers for bench/thread_bench.py: peers, wrk runs, workload and report."""
