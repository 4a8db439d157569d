"""Generated data: the demo of `load_demo` and the bulk data of `seed_bench`."""
