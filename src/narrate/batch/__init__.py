"""Many articles at once: planning, workers (local processes or Dask), manifest, summary."""

from narrate.batch.jobs import BatchJob, JobResult, JobStatus, narrate_job

__all__ = ["BatchJob", "JobResult", "JobStatus", "narrate_job"]
