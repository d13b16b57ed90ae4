"""The nightly job spread over many machines with Celery: a broker (RabbitMQ or Redis) carries one
task per target, workers run each exactly as the local scheduler does, and every result goes to the
one shared store (PostgreSQL). Celery is imported only here, so the single-machine mode needs none.

- `broker.py`: broker URLs, reachability and the broker's own limits
- `settings.py`: the Celery settings (late acknowledgement, prefetch of one, visibility timeout)
- `app.py`: the Celery application and its one task
- `task.py`: what a worker does with one target
- `worker.py`: `verifier worker`
- `dispatch.py`: enqueue a run's targets; `follow.py`: wait for their results in the store
- `nightly.py`: `verifier nightly --broker`, `--report`
- the click side (`verifier worker`, `nightly --broker/--no-wait/--report`) is `verifier/cli/worker.py`
"""
