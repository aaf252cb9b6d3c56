"""The floor of bench/pages.py: a bare Flask app that renders one small Jinja
template, served by gunicorn with the same settings as Kindness
(``gunicorn -c gunicorn.conf.py bench.floor:app``). No database, no extensions:
what any page of any Flask app costs at least on this machine."""

from flask import Flask, render_template

app = Flask(__name__)

ITEMS = ("Listen", "Share a meal", "Carry the shopping", "Say thank you", "Teach a trick")


@app.get("/")
def floor():
    return render_template("floor.html", title="Kindness floor", items=ITEMS)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
