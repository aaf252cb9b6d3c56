"""The floor of bench/pages.py and bench/api.py: a bare Flask app that renders
one small Jinja template (and answers 25 small items as JSON), served by
gunicorn with the same settings as Kindness
(``gunicorn -c gunicorn.conf.py bench.floor:app``). No database, no extensions:
what any page of any Flask app costs at least on this machine."""

from flask import Flask, render_template

app = Flask(__name__)

ITEMS = ("Listen", "Share a meal", "Carry the shopping", "Say thank you", "Teach a trick")


@app.get("/")
def floor():
    return render_template("floor.html", title="Kindness floor", items=ITEMS)


@app.get("/json")
def json_floor():
    """What any JSON answer of a Flask app costs: a page of 25 small items."""
    items = [
        {"id": number, "what": ITEMS[number % len(ITEMS)], "performed_on": "2026-12-02"}
        for number in range(25)
    ]
    return {"items": items, "next_cursor": None}


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
