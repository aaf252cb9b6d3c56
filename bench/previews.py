"""Benchmark of the link-preview card: PNG with and without its cache, beside the SVG.

Makes a small public chain on a fresh SQLite database, then times, in
interleaved rounds (so that noise on a shared machine falls on all alike):

- ``/chains/<ref>/card.svg``: the SVG card (find the chain, draw the SVG);
- ``/chains/<ref>/card.png``, cache cleared before each request: a full render;
- ``/chains/<ref>/card.png``, cache warm: what a burst of unfurls costs;
- ``/chains/<ref>/card.png`` with its ETag in ``If-None-Match``: a 304.

    .venv/bin/python bench/previews.py
    .venv/bin/python bench/previews.py --rounds 200
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kindness import create_app
from kindness.cli import migrate
from kindness.domain import accounts, acts, passes
from kindness.domain.acts import ActInput
from kindness.domain.passwords import Passwords
from kindness.sessions import get_session
from kindness.web import card_pictures

DAY = date(2026, 11, 1)
# argon2 at its cheapest: a benchmark of pictures need not spend time hashing.
CHEAP = Passwords(time_cost=1, memory_cost=8, parallelism=1)


def make_chain(app) -> str:
    """A public chain of three acts over two people; its root's ref."""
    with app.app_context():
        session = get_session()
        ada, ben = (
            accounts.sign_up(
                session,
                CHEAP,
                email=f"{name}@example.org",
                display_name=name.title(),
                password="a long bench password",  # noqa: S106  (a throwaway database)
                time_zone="Europe/Berlin",
                locale="en",
            )
            for name in ("ada", "ben")
        )

        def log(author, what, parent=None):
            return acts.log(
                session,
                author,
                ActInput(
                    what=what,
                    performed_on=DAY,
                    contact_id=None,
                    category="help",
                    visibility="public",
                    note=None,
                    parent_ref=parent.ref if parent else None,
                ),
                today=DAY,
            )

        root = log(ada, "Carried the shopping upstairs")
        passes.claim(session, passes.create(session, root, show_text=False).code, ben, False)
        log(ben, "Fixed a neighbour's bike", parent=root)
        session.commit()
        return root.ref


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        migrate.upgrade(url)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
        ref = make_chain(app)
        client = app.test_client()
        svg_path, png_path = f"/chains/{ref}/card.svg", f"/chains/{ref}/card.png"
        tag = client.get(png_path).headers["ETag"]

        def svg():
            return client.get(svg_path)

        def png_cold():
            card_pictures.clear_cache()
            return client.get(png_path)

        def png_warm():
            return client.get(png_path)

        def png_not_modified():
            return client.get(png_path, headers={"If-None-Match": tag})

        cases = {
            "card.svg": (svg, 200),
            "card.png, no cache (render)": (png_cold, 200),
            "card.png, cache warm": (png_warm, 200),
            "card.png, If-None-Match (304)": (png_not_modified, 304),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for name, (call, status) in cases.items():  # warm up, and check the answers
            assert call().status_code == status, name
        for _round in range(args.rounds):
            for name, (call, _status) in cases.items():
                started = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - started)
        medians = {name: statistics.median(values) for name, values in times.items()}
        cold, warm = medians["card.png, no cache (render)"], medians["card.png, cache warm"]
        print(f"{args.rounds} interleaved rounds, median per request (Flask test client, SQLite)")
        for name, value in medians.items():
            print(f"  {name:32} {value * 1000:8.2f} ms   {value / medians['card.svg']:6.2f}× svg")
        print(f"  cache speed-up: {cold / warm:.1f}× (no cache / cache warm)")
        print(f"  PNG size: {len(client.get(png_path).get_data()):,} bytes")


if __name__ == "__main__":
    main()
