"""The application benchmarks/soak.py keeps busy: a few routes that touch the request
surfaces (query arguments, a JSON body, the session, url_for, redirects, errors).

It uses only the public API, so Flask 3.1.3 serves it too.
"""

from flask import abort
from flask import Flask
from flask import redirect
from flask import request
from flask import session
from flask import url_for

app = Flask(__name__)
app.secret_key = "soak-secret"


@app.get("/")
def index():
    return {"args": request.args.to_dict(), "self": url_for("index", **request.args)}


@app.post("/json")
def echo_json():
    return {"got": request.get_json()}


@app.get("/login")
def login():
    session["user"] = request.args.get("user", "soak")
    return redirect(url_for("whoami"))


@app.get("/whoami")
def whoami():
    session["visits"] = session.get("visits", 0) + 1
    return {"user": session.get("user"), "visits": session["visits"]}


@app.get("/item/<int:number>")
def item(number):
    if number % 7 == 0:
        abort(404)
    return {"number": number}
