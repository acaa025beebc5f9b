"""`python -m scripts.tools.bench`: the benchmark (`--quick` for a fast look), or, as
`--scale-child SEEDS RUNS TRACE [FULL]`, one corpus size in a process of its own
(bench_scale starts it so that its memory is measured apart)."""
import sys

from . import main
from .scale import scale_child

if len(sys.argv) >= 3 and sys.argv[1] == "--scale-child":
    scale_child(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1", len(sys.argv) > 5 and sys.argv[5] == "1")
else:
    sys.exit(main(quick="--quick" in sys.argv))
