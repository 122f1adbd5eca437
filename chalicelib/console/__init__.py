"""The console: the pages compliance officers and inspectors use, built on this API and nothing else."""
