"""``python -m pipelines`` (run from ``examples/``) runs the pipeline on sample data."""

import flyte

from pipelines import main

if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(
        main,
        records=["  Ada@Example.com", "grace@navy.mil", "", "ada@example.com", "bob@example.com", "linus@kernel.org"],
    )
    print(r.name)
    print(r.url)
