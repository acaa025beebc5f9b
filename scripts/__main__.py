"""Command line: python -m scripts COMMAND.

    build        regenerate docs/ from seeds/, then build the site into site/
    serve        build, then serve the site with live reload at http://127.0.0.1:8000
    check        validate seeds and data files, report problems and spin scores; writes nothing
    add PATH     add a new scrape: copy it into seeds/, record its checksum, write a starter data file
    despin PATH  print the de-spun text of any text file (--record: the restorations as JSON)
    despin-learn --corpus DIR  relearn seeds/spin-learned.json from aligned spun/original pairs
    despin-eval --corpus DIR   measure the de-spinner on held-out pairs and on the unspun texts
    text SEED    print the clean text of one seed (what margin notes anchor to)
    rebuild SLUG rebuild a raw scrape from docs/records/SLUG.json (clean text plus record)
    bench        run the benchmark and write BENCHMARKS.md
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .core.errors import EditionError


def _in_project_env(argv) -> None:
    """Run under the project's .venv when this Python lacks its packages."""
    try:
        import ftfy, mkdocs, yaml  # noqa: F401
        return
    except ImportError as exc:
        missing = exc.name
    root = Path(__file__).resolve().parent.parent
    venv_python = root / ".venv" / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != venv_python.parent.parent.resolve():
        os.execv(str(venv_python), [str(venv_python), "-m", "scripts", *argv])
    print(f"error: the Python package {missing!r} is not installed here; run `bash scripts/run build` once "
          "to set up .venv, then use .venv/bin/python -m scripts ...", file=sys.stderr)
    sys.exit(1)


def main(argv=None) -> int:
    _in_project_env(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m scripts", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="regenerate docs/ and build site/")
    b.add_argument("--docs-only", action="store_true", help="regenerate docs/ without building site/")
    s = sub.add_parser("serve", help="build, then serve with live reload")
    s.add_argument("--dev-addr", default="127.0.0.1:8000")
    sub.add_parser("check", help="validate seeds and data files without writing anything")
    a = sub.add_parser("add", help="add a new scrape to seeds/")
    a.add_argument("path")
    a.add_argument("--slug")
    d = sub.add_parser("despin", help="print the restored text of a file")
    d.add_argument("path")
    d.add_argument("--record", action="store_true", help="print the restorations as JSON instead")
    dl = sub.add_parser("despin-learn", help="learn the spinner's substitutions from aligned pairs")
    dl.add_argument("--corpus", required=True, help="folder with pairs/NNN/{spun,original}.txt and split.yml")
    dl.add_argument("-o", "--output", help="write here instead of seeds/spin-learned.json")
    de = sub.add_parser("despin-eval", help="gap closed on held-out pairs; words changed in unspun texts")
    de.add_argument("--corpus", required=True, help="folder with pairs/NNN/{spun,original}.txt and split.yml")
    de.add_argument("--folds", type=int, default=0,
                    help="instead: leave-article-out runs over the learn side in this many folds (for tuning)")
    t = sub.add_parser("text", help="print the clean text of a seed")
    t.add_argument("seed", help="seed file name, stem or slug")
    r = sub.add_parser("rebuild", help="rebuild a raw scrape from its published record")
    r.add_argument("slug")
    r.add_argument("-o", "--output", help="write here instead of standard output")
    bn = sub.add_parser("bench", help="run the benchmark")
    bn.add_argument("--quick", action="store_true", help="fewer runs and sizes, no Lighthouse")
    args = parser.parse_args(argv)

    try:
        if args.command == "build":
            from .tools.build import build
            build(site=not args.docs_only)
        elif args.command == "serve":
            import os
            os.environ.setdefault("EDITION_SITE_URL", f"http://{args.dev_addr}/")
            from .tools.serve import serve
            serve(args.dev_addr)
        elif args.command == "check":
            from .tools.build import check
            return check()
        elif args.command == "add":
            from .tools.add import add
            add(args.path, slug=args.slug)
        elif args.command == "despin":
            from .text.despin import cli
            return cli(args.path, record=args.record)
        elif args.command == "despin-learn":
            from .text.despin.learning import cli as learn_cli
            return learn_cli(args.corpus, args.output)
        elif args.command == "despin-eval":
            from .text.despin.evaluation import cli as eval_cli
            return eval_cli(args.corpus, args.folds)
        elif args.command == "text":
            from .tools.build import clean_text
            sys.stdout.write(clean_text(args.seed) + "\n")
        elif args.command == "rebuild":
            from .tools.build import rebuild_command
            rebuild_command(args.slug, args.output)
        elif args.command == "bench":
            from .tools.bench import main as bench
            return bench(quick=args.quick)
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
